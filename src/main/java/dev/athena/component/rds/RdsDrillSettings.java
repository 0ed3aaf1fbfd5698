package dev.athena.component.rds;

import java.util.List;
import java.util.Optional;

/**
 * DRILL_RDS=true and DRILL_RDS_*: a drill of an RDS platform makes a new instance from the backup's
 * snapshot (it costs money while it runs) and deletes it afterwards. Unset values leave RDS to
 * take them from the snapshot or the account's defaults.
 */
public record RdsDrillSettings(Optional<String> instanceClass, Optional<String> subnetGroup, List<String> securityGroups) {
    public RdsDrillSettings {
        securityGroups = List.copyOf(securityGroups);
    }
}
