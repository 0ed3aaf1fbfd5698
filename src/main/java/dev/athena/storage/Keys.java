package dev.athena.storage;

/** Checks keys before any store turns them into paths or URLs. */
final class Keys {
    private Keys() {
    }

    static String check(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid object key: " + key);
        }
        for (String part : key.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("invalid object key: " + key);
            }
        }
        return key;
    }
}
