package io.rrtcp.reload;

import io.rrtcp.log.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Watches the folders of {@link FileRules} and hands batches of changed matching files to a sink: with inotify on
 * Linux (no cost while nothing changes), else by looking at every folder once per {@code interval}. When inotify
 * cannot take every folder (fs.inotify.max_user_watches), it switches to polling and says so.
 * The system property {@value #PROPERTY}{@code =poll} forces polling, for file systems whose changes inotify does
 * not see (network mounts, some container bind mounts).
 */
final class FolderWatch implements AutoCloseable {
    static final String PROPERTY = "rrtcp.reload.watch";
    private static final Log LOG = Log.get("reload");
    private static final Path MAX_USER_WATCHES = Path.of("/proc/sys/fs/inotify/max_user_watches");

    /** How changes are noticed. */
    enum Mode { INOTIFY, POLLING }

    private final TreeIndex index;
    private final Duration interval;
    private final Consumer<List<Path>> sink;
    private final Thread thread;
    private final InotifyWatcher inotify;
    private volatile Mode mode;
    private volatile boolean closed;

    private FolderWatch(TreeIndex index, Duration interval, Consumer<List<Path>> sink, InotifyWatcher inotify) {
        this.index = index;
        this.interval = interval;
        this.sink = sink;
        this.inotify = inotify;
        this.mode = inotify != null ? Mode.INOTIFY : Mode.POLLING;
        this.thread = Thread.ofPlatform().daemon().name("reload-watch").unstarted(this::run);
    }

    /**
     * Indexes the watched files and starts watching them.
     *
     * @throws IOException when a watched folder does not exist
     */
    static FolderWatch start(FileRules rules, Duration interval, Consumer<List<Path>> sink) throws IOException {
        TreeIndex index = new TreeIndex(rules);
        index.build();
        InotifyWatcher inotify = null;
        if (inotifyWanted()) {
            try {
                inotify = InotifyWatcher.open(index);
            } catch (IOException e) {
                warnPolling(e, index.folders().size());
            }
        }
        FolderWatch watch = new FolderWatch(index, interval, sink, inotify);
        watch.thread.start();
        return watch;
    }

    private static boolean inotifyWanted() {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        // elsewhere the JDK's WatchService is itself a poller, with a 10 s period
        return linux && !"poll".equals(System.getProperty(PROPERTY, "auto"));
    }

    private static void warnPolling(Exception e, int folders) {
        LOG.warn("inotify cannot watch every folder; polling every interval instead (raise fs.inotify.max_user_watches"
                        + " or ignore big folders such as vendor)", "folders", folders,
                "max_user_watches", maxUserWatches(), "error", String.valueOf(e.getMessage()));
    }

    private static String maxUserWatches() {
        try {
            return Files.readString(MAX_USER_WATCHES).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    Mode mode() {
        return mode;
    }

    int folderCount() {
        return index.folders().size();
    }

    int fileCount() {
        return index.fileCount();
    }

    /**
     * How long without a change counts as settled. Polling sends an empty batch after each quiet look, which ends
     * the wait; the timeout is only a backstop, long enough that a look still running is not taken for quiet.
     */
    Duration quietTime() {
        return mode == Mode.INOTIFY ? interval : interval.multipliedBy(2);
    }

    private void run() {
        try {
            InotifyWatcher watcher = inotify;
            if (watcher != null) {
                try {
                    watcher.run(sink);
                    return; // closed
                } catch (IOException | RuntimeException e) {
                    warnPolling(e, index.folders().size());
                    closeQuietly(watcher);
                    mode = Mode.POLLING;
                }
            }
            poll();
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void poll() throws InterruptedException {
        while (!closed) {
            Thread.sleep(interval);
            try {
                sink.accept(index.rescanAll().changed()); // empty: a quiet look
            } catch (RuntimeException e) {
                LOG.error("looking for changes failed; trying again next interval", "error", String.valueOf(e));
            }
        }
    }

    private static void closeQuietly(InotifyWatcher watcher) {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.debug("closing the inotify watch failed", "error", e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        InotifyWatcher watcher = inotify;
        if (watcher != null) {
            closeQuietly(watcher);
        }
        thread.interrupt();
    }
}
