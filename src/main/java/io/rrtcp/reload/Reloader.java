package io.rrtcp.reload;

import io.rrtcp.config.ReloadConfig;
import io.rrtcp.log.Log;
import io.rrtcp.worker.WorkerException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Resets the worker pool when the watched PHP files change. A burst of changes (a {@code git checkout}) is one reset,
 * once no change came for one {@code interval}. Before the reset one worker is started from the new code: when it
 * does not start (a syntax error, an exception at start), its error is logged and the old workers keep serving.
 */
public final class Reloader implements AutoCloseable {
    private static final Log LOG = Log.get("reload");
    private static final int FILES_SHOWN = 5;

    private final Path workdir;
    private final ReloadTarget target;
    private final BlockingQueue<List<Path>> changes = new LinkedBlockingQueue<>();
    private final Thread thread;
    private FolderWatch watch;
    private volatile boolean closed;

    private Reloader(Path workdir, ReloadTarget target) {
        this.workdir = workdir.toAbsolutePath().normalize();
        this.target = target;
        this.thread = Thread.ofPlatform().daemon().name("reload").unstarted(this::run);
    }

    /**
     * Indexes the watched files and starts watching.
     *
     * @param workdir what relative {@code dirs} and {@code ignore} entries are relative to
     * @throws IOException when a watched folder does not exist
     */
    public static Reloader start(ReloadConfig config, Path workdir, ReloadTarget target) throws IOException {
        Reloader reloader = new Reloader(workdir, target);
        FileRules rules = FileRules.of(config, workdir);
        reloader.watch = FolderWatch.start(rules, config.interval(), reloader.changes::add);
        reloader.thread.start();
        LOG.info("watching for code changes", "mode", reloader.watch.mode().name().toLowerCase(Locale.ROOT),
                "dirs", rules.roots(), "folders", reloader.watch.folderCount(), "files", reloader.watch.fileCount(),
                "patterns", rules.patterns(), "interval", config.interval());
        return reloader;
    }

    private void run() {
        try {
            while (true) {
                List<Path> first = changes.take();
                if (first.isEmpty()) {
                    continue;
                }
                try {
                    reload(settle(first));
                } catch (RuntimeException e) {
                    // a bug must not end reloading for the rest of the session
                    LOG.error("reload failed", "error", String.valueOf(e));
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Collects changes until none came for the quiet time: a burst of saves becomes one reload. */
    private List<Path> settle(List<Path> first) throws InterruptedException {
        Set<Path> batch = new LinkedHashSet<>(first);
        while (true) {
            List<Path> more = changes.poll(watch.quietTime().toMillis(), TimeUnit.MILLISECONDS);
            if (more == null || more.isEmpty()) {
                return List.copyOf(batch);
            }
            batch.addAll(more);
        }
    }

    private void reload(List<Path> changed) {
        LOG.info("files changed, reloading", "count", changed.size(), "files", shown(changed));
        long start = System.nanoTime();
        long triedPid;
        try {
            triedPid = target.tryOneWorker();
        } catch (WorkerException e) {
            if (closed) {
                LOG.debug("reload cut short: rr-tcp is stopping", "error", e.getMessage());
            } else {
                LOG.error("the changed code does not start; the old workers keep serving until the next change",
                        "pid", e.pid(), "error", e.getMessage());
            }
            return;
        }
        Duration tried = since(start);
        long resetStart = System.nanoTime();
        try {
            target.reset();
        } catch (WorkerException e) {
            if (!closed) {
                LOG.error("reset failed; the pool keeps trying to start workers", "error", e.getMessage());
            }
            return;
        }
        LOG.info("reloaded", "reset", since(resetStart), "tried", tried, "tried_pid", triedPid, "pids", target.pids());
    }

    private static Duration since(long startNanos) {
        return Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** The first few files in name order, relative to the working directory, and how many more. */
    private String shown(List<Path> changed) {
        List<String> names = changed.stream().sorted().limit(FILES_SHOWN)
                .map(file -> file.startsWith(workdir) ? workdir.relativize(file).toString() : file.toString())
                .toList();
        String more = changed.size() > FILES_SHOWN ? " and " + (changed.size() - FILES_SHOWN) + " more" : "";
        return String.join(", ", names) + more;
    }

    @Override
    public void close() {
        closed = true;
        watch.close();
        thread.interrupt();
    }
}
