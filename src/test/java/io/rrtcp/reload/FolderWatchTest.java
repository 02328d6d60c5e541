package io.rrtcp.reload;

import io.rrtcp.config.ReloadConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both ways of watching report every matching file of a burst on real files, including folders made mid-burst. */
class FolderWatchTest {
    @TempDir
    Path dir;

    private Set<Path> burst() throws IOException {
        Set<Path> written = new HashSet<>();
        for (int folder = 0; folder < 20; folder++) {
            Path sub = Files.createDirectories(dir.resolve("src/m" + folder + "/deep"));
            for (int i = 0; i < 50; i++) {
                Path file = sub.resolve("C" + i + ".php");
                Files.writeString(file, "<?php");
                written.add(file);
                Files.writeString(sub.resolve("C" + i + ".txt"), "not code");
            }
        }
        return written;
    }

    private Set<Path> watchBurst(String mode) throws Exception {
        String previous = System.getProperty(FolderWatch.PROPERTY);
        System.setProperty(FolderWatch.PROPERTY, mode);
        BlockingQueue<List<Path>> batches = new LinkedBlockingQueue<>();
        ReloadConfig config = new ReloadConfig(Duration.ofSeconds(1), List.of("."), true, List.of(), List.of(".php"));
        try (FolderWatch watch = FolderWatch.start(FileRules.of(config, dir), config.interval(), batches::add)) {
            assertEquals(mode.equals("poll") ? FolderWatch.Mode.POLLING : FolderWatch.Mode.INOTIFY, watch.mode());
            Set<Path> written = burst();
            Set<Path> seen = new HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!seen.containsAll(written) && System.nanoTime() < deadline) {
                List<Path> batch = batches.poll(100, TimeUnit.MILLISECONDS);
                if (batch != null) {
                    seen.addAll(batch);
                }
            }
            return seen;
        } finally {
            if (previous == null) {
                System.clearProperty(FolderWatch.PROPERTY);
            } else {
                System.setProperty(FolderWatch.PROPERTY, previous);
            }
        }
    }

    @Test
    void inotifyReportsEveryFileWrittenIntoFoldersMadeDuringTheBurst() throws Exception {
        Set<Path> seen = watchBurst("auto");
        assertEquals(1000, seen.size(), "every .php file once, no .txt file");
        assertTrue(seen.stream().allMatch(p -> p.toString().endsWith(".php")));
    }

    @Test
    void pollingReportsEveryFileToo() throws Exception {
        Set<Path> seen = watchBurst("poll");
        assertEquals(1000, seen.size());
        assertTrue(seen.stream().allMatch(p -> p.toString().endsWith(".php")));
    }
}
