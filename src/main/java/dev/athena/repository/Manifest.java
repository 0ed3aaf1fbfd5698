package dev.athena.repository;

import java.util.List;
import java.util.Map;

/**
 * The record of one backup, written last: a backup whose manifest is absent does not exist.
 * Each component names the tree blobs that describe what it holds.
 */
public record Manifest(int version, String namespace, String timestamp, String startedAt, String finishedAt,
                       String hostname, String platformVersion, Map<String, ComponentSnapshot> components,
                       List<String> warnings) {
    public static final int VERSION = 1;

    public record ComponentSnapshot(String kind, List<String> tree, Map<String, Long> stats, List<String> warnings,
                                    Map<String, Object> details) {
        public List<BlobId> treeIds() {
            return tree.stream().map(BlobId::parse).toList();
        }
    }
}
