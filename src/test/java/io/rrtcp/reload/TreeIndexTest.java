package io.rrtcp.reload;

import io.rrtcp.config.ReloadConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one look at a folder reports, on real files in a temp folder (the pool and workers are not involved). */
class TreeIndexTest {
    @TempDir
    Path dir;

    private TreeIndex index(boolean recursive, List<String> ignore) throws IOException {
        ReloadConfig config = new ReloadConfig(Duration.ofSeconds(1), List.of("."), recursive, ignore,
                List.of(".php", ".inc"));
        TreeIndex index = new TreeIndex(FileRules.of(config, dir));
        index.build();
        return index;
    }

    private Path write(String relative, String text) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private static Set<Path> changed(TreeIndex index) {
        return new HashSet<>(index.rescanAll().changed());
    }

    @Test
    void writeCreateDeleteAndRenameOfMatchingFilesAreChanges() throws IOException {
        Path a = write("a.php", "<?php // 1");
        Path b = write("b.inc", "<?php");
        TreeIndex index = index(true, List.of());
        assertEquals(2, index.fileCount());
        assertEquals(Set.of(), changed(index), "nothing changed yet");

        Files.setLastModifiedTime(a, FileTime.from(Instant.now().plusSeconds(5))); // same size, new time
        assertEquals(Set.of(a), changed(index));
        Path c = write("c.php", "<?php");
        assertEquals(Set.of(c), changed(index));
        Files.delete(b);
        assertEquals(Set.of(b), changed(index));
        Path moved = dir.resolve("d.php");
        Files.move(c, moved);
        assertEquals(Set.of(c, moved), changed(index));
        assertEquals(Set.of(), changed(index));
    }

    @Test
    void otherSuffixesAndIgnoredPathsAreNotChanges() throws IOException {
        TreeIndex index = index(true, List.of("vendor", "cache/skip.php"));
        write("vendor/acme/Lib.php", "<?php");
        write("cache/skip.php", "<?php");
        write("notes.txt", "text");
        write(".worker.php.swp", "swap");
        write("worker.php~", "backup");
        assertEquals(Set.of(), changed(index));
        assertTrue(!index.folders().contains(dir.resolve("vendor")), "an ignored folder is not even looked at");
        Path kept = write("cache/kept.php", "<?php");
        assertEquals(Set.of(kept), changed(index));
    }

    @Test
    void aNewFolderIsIndexedWithTheFilesAlreadyInIt() throws IOException {
        TreeIndex index = index(true, List.of());
        Path deep = write("src/a/b/Deep.php", "<?php");
        TreeIndex.Delta delta = index.rescan(dir);
        assertEquals(List.of(deep), delta.changed());
        assertEquals(Set.of(dir.resolve("src"), dir.resolve("src/a"), dir.resolve("src/a/b")),
                new HashSet<>(delta.newFolders()));
        assertTrue(index.folders().contains(dir.resolve("src/a/b")));
    }

    @Test
    void aRemovedOrMovedFolderReportsTheFilesItHeld() throws IOException {
        Path one = write("lib/One.php", "<?php");
        Path two = write("lib/sub/Two.php", "<?php");
        TreeIndex index = index(true, List.of());
        Files.move(dir.resolve("lib"), dir.resolve("old"));
        Set<Path> changed = new HashSet<>(index.rescan(dir).changed());
        assertTrue(changed.containsAll(Set.of(one, two)), changed.toString());
        assertTrue(changed.contains(dir.resolve("old/One.php")), "and the files where they went: " + changed);
        assertTrue(!index.folders().contains(dir.resolve("lib/sub")), "the folders are forgotten");
    }

    @Test
    void withoutRecursiveSubFoldersAreNotWatched() throws IOException {
        TreeIndex index = index(false, List.of());
        write("src/Deep.php", "<?php");
        assertEquals(Set.of(), changed(index));
        Path top = write("top.php", "<?php");
        assertEquals(Set.of(top), changed(index));
    }

    @Test
    void aMissingFolderIsAnErrorNamingTheKey() {
        ReloadConfig config = new ReloadConfig(Duration.ofSeconds(1), List.of("nope"), true, List.of(), List.of(".php"));
        IOException e = assertThrows(IOException.class, () -> new TreeIndex(FileRules.of(config, dir)).build());
        assertEquals("reload.services.tcp.dirs: " + dir.resolve("nope") + " is not a folder", e.getMessage());
    }
}
