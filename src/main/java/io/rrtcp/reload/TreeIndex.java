package io.rrtcp.reload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the watched files looked like at the last look, folder by folder, so that looking at one folder again tells
 * exactly which matching files were written, created or deleted in it, and which sub-folders came or went. The
 * inotify watcher looks again only at folders the kernel reports; the poller looks at every folder.
 * Not thread-safe: one watcher thread owns it.
 */
final class TreeIndex {
    /** A file as last seen; a write changes its modification time (nanoseconds on ext4, xfs, btrfs) or its size. */
    private record Stamp(long modifiedNanos, long size) {
        static Stamp of(BasicFileAttributes a) {
            return new Stamp(a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                    + a.lastModifiedTime().toInstant().getNano(), a.size());
        }
    }

    /** What one look found: matching files that changed, and folders that started being watched. */
    record Delta(List<Path> changed, List<Path> newFolders) {
        static final Delta NONE = new Delta(List.of(), List.of());
    }

    /** One watched folder: its matching files and its watched sub-folders. */
    private static final class Folder {
        private Map<Path, Stamp> files = new HashMap<>();
        private Set<Path> subfolders = new HashSet<>();
    }

    private final FileRules rules;
    private final Map<Path, Folder> folders = new HashMap<>();

    TreeIndex(FileRules rules) {
        this.rules = rules;
    }

    /**
     * Indexes every root.
     *
     * @return the folders indexed
     * @throws IOException when a root is not a folder, naming the config key
     */
    List<Path> build() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path root : rules.roots()) {
            if (!Files.isDirectory(root)) {
                throw new IOException("reload.services.tcp.dirs: " + root + " is not a folder");
            }
            walk(root, found, new ArrayList<>());
        }
        return found;
    }

    Set<Path> folders() {
        return Set.copyOf(folders.keySet());
    }

    int fileCount() {
        return folders.values().stream().mapToInt(f -> f.files.size()).sum();
    }

    /** Looks at every folder again, and at roots that had vanished. */
    Delta rescanAll() {
        List<Path> changed = new ArrayList<>();
        List<Path> added = new ArrayList<>();
        for (Path folder : folders()) {
            Delta d = rescan(folder);
            changed.addAll(d.changed());
            added.addAll(d.newFolders());
        }
        for (Path root : rules.roots()) {
            if (!folders.containsKey(root) && Files.isDirectory(root)) {
                walk(root, added, changed);
            }
        }
        return new Delta(changed, added);
    }

    /** Looks at one folder again (not below it): its matching files, and which sub-folders came or went. */
    Delta rescan(Path folder) {
        Folder known = folders.get(folder);
        if (known == null) {
            return Delta.NONE; // forgotten meanwhile, with its parent's look
        }
        Map<Path, Stamp> now = new HashMap<>();
        Set<Path> subfolders = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                look(entry, now, subfolders);
            }
        } catch (NoSuchFileException | NotDirectoryException gone) {
            return new Delta(forget(folder), List.of());
        } catch (IOException e) {
            return Delta.NONE; // unreadable for now (permissions); the next look tries again
        }
        List<Path> changed = new ArrayList<>();
        Map<Path, Stamp> before = known.files;
        now.forEach((file, stamp) -> {
            if (!stamp.equals(before.get(file))) {
                changed.add(file);
            }
        });
        before.keySet().stream().filter(file -> !now.containsKey(file)).forEach(changed::add);
        known.files = now;
        List<Path> added = new ArrayList<>();
        if (rules.recursive()) {
            for (Path old : known.subfolders) {
                if (!subfolders.contains(old)) {
                    changed.addAll(forget(old));
                }
            }
            Set<Path> fresh = new HashSet<>(subfolders);
            fresh.removeAll(known.subfolders);
            known.subfolders = subfolders;
            for (Path sub : fresh) {
                walk(sub, added, changed); // its files were written before anyone could watch it
            }
        }
        return new Delta(changed, added);
    }

    private void look(Path entry, Map<Path, Stamp> files, Set<Path> subfolders) {
        if (rules.isIgnored(entry)) {
            return;
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException gone) {
            return; // deleted between listing and looking
        }
        if (a.isDirectory()) {
            subfolders.add(entry);
        } else if (rules.matches(entry)) {
            files.put(entry, Stamp.of(a));
        }
    }

    /** Drops a folder and everything indexed below it; returns the matching files it held (now deleted or moved). */
    private List<Path> forget(Path folder) {
        List<Path> gone = new ArrayList<>();
        Folder f = folders.remove(folder);
        if (f != null) {
            gone.addAll(f.files.keySet());
            f.subfolders.forEach(sub -> gone.addAll(forget(sub)));
        }
        return gone;
    }

    /** Indexes {@code root} and, when recursive, the folders below it, adding them and their matching files. */
    private void walk(Path root, List<Path> newFolders, List<Path> newFiles) {
        int depth = rules.recursive() ? Integer.MAX_VALUE : 1;
        try {
            Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), depth,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                            if (rules.isIgnored(dir)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            folders.put(dir, new Folder());
                            Folder parent = dir.equals(root) ? null : folders.get(dir.getParent());
                            if (parent != null) {
                                parent.subfolders.add(dir);
                            }
                            newFolders.add(dir);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                            if (!a.isDirectory() && !rules.isIgnored(file) && rules.matches(file)) {
                                Objects.requireNonNull(folders.get(file.getParent())).files.put(file, Stamp.of(a));
                                newFiles.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE; // gone while walking; its parent's next look sees it
                        }
                    });
        } catch (IOException e) {
            // the visitor turns every failure into CONTINUE, so walkFileTree has nothing left to throw
            throw new UncheckedIOException(e);
        }
    }
}
