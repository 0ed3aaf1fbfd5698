package dev.athena.restore;

import java.net.URI;
import java.time.Duration;

/** The seed's Jenkins test run after a restore: where, which job, who, and how long to wait; the token is left out of {@link #toString()}. */
public record JenkinsSettings(URI url, String job, String user, String token, Duration timeout) {
    @Override
    public String toString() {
        return "Jenkins job " + job + " at " + url;
    }
}
