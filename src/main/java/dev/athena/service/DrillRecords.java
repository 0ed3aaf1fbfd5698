package dev.athena.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

import dev.athena.repository.Json;
import dev.athena.repository.Repository;
import dev.athena.storage.ObjectNotFoundException;
import dev.athena.storage.StoredObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of restore drills, in the backup location beside the restores'
 * ({@code <ns>/drills/<drill-id>.json}, and its report as {@code -report.json} and
 * {@code -report.html}). A drill's record has the shape of a restore's: the same phases, checks,
 * components and RTO; {@code targets} instead of a destination namespace says where each component
 * was put.
 */
final class DrillRecords implements RestoreJob.Recorder {
    private static final Logger log = LoggerFactory.getLogger(DrillRecords.class);
    private final Repository repository;
    /** The record of the drill running here, answered without a read of the store. */
    private final Map<String, RestoreRecord> running = new ConcurrentHashMap<>();
    /** Finished records never change: read once (retention and the dashboard list them often; on S3 a GET each). */
    private final Map<String, RestoreRecord> finished = new ConcurrentHashMap<>();

    DrillRecords(Repository repository) {
        this.repository = repository;
    }

    private String key(String drillId, String suffix) {
        return repository.layout().drillsFolder() + drillId + suffix;
    }

    @Override
    public void save(RestoreRecord record) {
        repository.putSealed(key(record.restoreId(), ".json"), Json.write(record));
        if (record.status().finished()) {
            running.remove(record.restoreId());
        } else {
            running.put(record.restoreId(), record);
        }
    }

    @Override
    public void saveReport(RestoreRecord record, byte[] json, String html) {
        repository.putSealed(key(record.restoreId(), "-report.json"), json);
        repository.putSealed(key(record.restoreId(), "-report.html"), html.getBytes(StandardCharsets.UTF_8));
    }

    /** Every drill, newest first. */
    List<RestoreRecord> list() {
        List<RestoreRecord> out = new ArrayList<>();
        for (StoredObject o : repository.store().list(repository.layout().drillsFolder())) {
            String name = o.key().substring(o.key().lastIndexOf('/') + 1);
            if (!name.endsWith(".json") || name.endsWith("-report.json")) {
                continue;
            }
            String id = name.substring(0, name.length() - 5);
            RestoreRecord live = running.get(id);
            if (live != null) {
                out.add(live);
                continue;
            }
            RestoreRecord cached = finished.get(id);
            if (cached != null) {
                out.add(cached);
                continue;
            }
            try {
                RestoreRecord r = Json.read(repository.getSealed(o.key()), RestoreRecord.class, "drill record");
                if (r.status().finished()) {
                    finished.put(id, r);
                }
                out.add(r);
            } catch (ObjectNotFoundException e) {
                // gone meanwhile
            } catch (RuntimeException e) {
                log.warn("skipping damaged drill record {}: {}", o.key(), e.getMessage());
            }
        }
        out.sort(Comparator.comparing(RestoreRecord::restoreId).reversed());
        return out;
    }

    /** One drill, or the newest when {@code drillId} is null. */
    Optional<RestoreRecord> find(String drillId) {
        if (drillId == null) {
            return list().stream().findFirst();
        }
        RestoreRecord live = running.get(drillId);
        if (live != null) {
            return Optional.of(live);
        }
        try {
            return Optional.of(Json.read(repository.getSealed(key(drillId, ".json")), RestoreRecord.class, "drill record"));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }
}
