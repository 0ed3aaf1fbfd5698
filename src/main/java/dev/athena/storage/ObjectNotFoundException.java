package dev.athena.storage;

/** The key does not exist in the store. */
public class ObjectNotFoundException extends StorageException {
    public ObjectNotFoundException(String key) {
        super("object not found: " + key, null, false);
    }
}
