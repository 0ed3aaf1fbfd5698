package dev.athena.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.athena.component.ExternalCommand;

/** Real git, run in a folder by the tests that build repositories and push to them, with a fixed author. */
public final class Git {
    private static final Map<String, String> AUTHOR = Map.of("GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@e", "GIT_COMMITTER_NAME", "t",
            "GIT_COMMITTER_EMAIL", "t@e");

    private Git() {
    }

    /** {@code git -C dir args...}; its output, trimmed; fails the test when git fails. */
    public static String run(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        return new ExternalCommand(cmd, AUTHOR).check().stdout().strip();
    }
}
