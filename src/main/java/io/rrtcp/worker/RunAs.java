package io.rrtcp.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The user and group workers run as (server.user, server.group), when set. A group left out is the user's own
 * primary group, as upstream does.
 */
public record RunAs(Optional<String> user, Optional<String> group) {
    public static final RunAs NONE = new RunAs(Optional.empty(), Optional.empty());

    public boolean isNone() {
        return user.isEmpty() && group.isEmpty();
    }

    /** The group to switch to: server.group, else the user's primary group (from `id -g`). */
    String gid() throws WorkerException {
        if (group.isPresent()) {
            return group.get();
        }
        if (user.isEmpty()) {
            return Long.toString(gidOfSelf());
        }
        try {
            Process id = new ProcessBuilder("id", "-g", "--", user.get()).redirectErrorStream(true).start();
            String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (id.waitFor() != 0) {
                throw new WorkerException(WorkerException.Kind.START_FAILED, 0, false,
                        "server.user: no such user \"" + user.get() + "\" (" + out + ")");
            }
            return out;
        } catch (IOException e) {
            throw new WorkerException(WorkerException.Kind.START_FAILED, 0, false,
                    "server.user: cannot look up the group of \"" + user.get() + "\": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerException(WorkerException.Kind.START_FAILED, 0, false, "interrupted looking up a group");
        }
    }

    /** rr-tcp's real uid, from /proc/self/status; -1 when unreadable. */
    static long uid() {
        return idFromStatus("Uid:");
    }

    private static long gidOfSelf() {
        return idFromStatus("Gid:");
    }

    private static long idFromStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux or unreadable: treated as not root
        }
        return -1;
    }

    @Override
    public String toString() {
        return "user=" + user.orElse("") + " group=" + group.orElse("");
    }
}
