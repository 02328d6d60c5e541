package io.rrtcp.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a worker's process: its own session, its environment, and the user and group it runs as. */
final class WorkerLauncher {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private WorkerLauncher() {
    }

    static Process launch(WorkerSpec spec) throws WorkerException {
        try {
            return builder(spec).start();
        } catch (IOException e) {
            throw new WorkerException(WorkerException.Kind.START_FAILED, 0, false,
                    "cannot start worker command " + spec.command() + " in " + spec.workdir() + ": " + e.getMessage(), e);
        }
    }

    static ProcessBuilder builder(WorkerSpec spec) throws WorkerException {
        List<String> argv = new ArrayList<>();
        // Its own session, so that a terminal's Ctrl-C reaches rr-tcp only and workers are stopped in order.
        // setsid execs in place here (a child of the JVM is no group leader), so the pid stays the worker's.
        if (Files.isExecutable(SETSID)) {
            argv.add(SETSID.toString());
        }
        argv.addAll(runAs(spec.runAs(), RunAs.uid()));
        argv.addAll(spec.command());
        ProcessBuilder builder = new ProcessBuilder(argv).directory(spec.workdir().toFile());
        builder.environment().putAll(spec.env());
        return builder;
    }

    /**
     * server.user / server.group: setpriv (util-linux) changes the ids and execs in place, so the pid rr-tcp knows stays
     * the worker's and no helper process stays around. Supplementary groups are cleared, as upstream does when it sets
     * a process credential. Only root may do this; upstream fails the same way otherwise.
     */
    static List<String> runAs(RunAs runAs, long ourUid) throws WorkerException {
        if (runAs.isNone()) {
            return List.of();
        }
        if (ourUid != 0) {
            throw new WorkerException(WorkerException.Kind.START_FAILED, 0, false, "server.user/server.group ("
                    + runAs + ") needs rr-tcp to run as root, it runs as uid " + ourUid
                    + "; remove the keys or start rr-tcp as root");
        }
        if (!Files.isExecutable(SETPRIV)) {
            throw new WorkerException(WorkerException.Kind.START_FAILED, 0, false, "server.user/server.group ("
                    + runAs + ") needs " + SETPRIV + " (Debian package util-linux)");
        }
        List<String> argv = new ArrayList<>(List.of(SETPRIV.toString()));
        runAs.user().ifPresent(u -> argv.add("--reuid=" + u));
        argv.add("--regid=" + runAs.gid());
        argv.add("--clear-groups");
        return argv;
    }
}
