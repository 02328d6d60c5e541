package io.rrtcp.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The JDK's WatchService (inotify on Linux) as a signal that a folder changed; the folder is then looked at again
 * through the {@link TreeIndex}, which tells what changed in it. inotify watches one folder per watch, not a tree,
 * so every watched folder is registered, and folders that appear later are registered as they are found.
 * A lost event (an overflow) costs nothing but that extra look: the look sees the folder as it is.
 */
final class InotifyWatcher implements AutoCloseable {
    private final WatchService service;
    private final TreeIndex index;

    private InotifyWatcher(WatchService service, TreeIndex index) {
        this.service = service;
        this.index = index;
    }

    /**
     * Registers every folder of the index.
     *
     * @throws IOException when a folder cannot be registered, typically with fs.inotify.max_user_watches reached
     */
    static InotifyWatcher open(TreeIndex index) throws IOException {
        WatchService service = FileSystems.getDefault().newWatchService();
        InotifyWatcher watcher = new InotifyWatcher(service, index);
        try {
            watcher.register(index.folders());
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
        return watcher;
    }

    private void register(Collection<Path> folders) throws IOException {
        for (Path folder : folders) {
            folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
        }
    }

    /**
     * Hands each batch of changed matching files to {@code sink} until closed (returns) or a new folder cannot be
     * registered (throws; the index is still right, so polling can take over from it).
     */
    void run(Consumer<List<Path>> sink) throws IOException, InterruptedException {
        try {
            while (true) {
                Set<Path> touched = new LinkedHashSet<>();
                WatchKey key = service.take();
                do {
                    touched.add((Path) key.watchable());
                    key.pollEvents();
                    key.reset(); // before the look: whatever happens during it is signalled again
                } while ((key = service.poll()) != null);
                List<Path> changed = new ArrayList<>();
                Deque<Path> toLook = new ArrayDeque<>(touched);
                while (!toLook.isEmpty()) {
                    TreeIndex.Delta delta = index.rescan(toLook.poll());
                    changed.addAll(delta.changed());
                    register(delta.newFolders());
                    // a new folder was listed before its watch existed: one more look, now watched, catches the
                    // files written in between (a checkout fills new folders fast)
                    toLook.addAll(delta.newFolders());
                }
                if (!changed.isEmpty()) {
                    sink.accept(changed);
                }
            }
        } catch (ClosedWatchServiceException closed) {
            // close() was called: watching is over
        }
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
