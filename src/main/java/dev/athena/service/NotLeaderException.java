package dev.athena.service;

import java.util.Optional;

/**
 * A job was asked of a replica that does not lead: the API forwards such requests to the
 * leader, and answers 503 when none is known (an election is under way).
 */
public class NotLeaderException extends RuntimeException {
    private final transient Optional<String> leaderUrl;

    public NotLeaderException(Optional<String> leaderUrl) {
        super(leaderUrl.map(u -> "this replica does not lead; the leader is at " + u)
                .orElse("no replica leads at the moment: an election is under way (a leader that stopped is replaced within a minute); try again in a few seconds"));
        this.leaderUrl = leaderUrl;
    }

    public NotLeaderException(String message) {
        super(message);
        this.leaderUrl = Optional.empty();
    }

    public Optional<String> leaderUrl() {
        return leaderUrl;
    }
}
