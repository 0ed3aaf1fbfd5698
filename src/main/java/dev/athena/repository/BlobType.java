package dev.athena.repository;

/** What a blob holds: file or stream content, or a piece of a serialized tree. */
public enum BlobType {
    DATA(0), TREE(1);

    public final int code;

    BlobType(int code) {
        this.code = code;
    }

    public static BlobType of(int code) {
        for (BlobType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new CorruptDataException("unknown blob type " + code);
    }
}
