package io.rrtcp.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reload on code change with real files and real php workers: the worker's code is a copy of
 * test-workers/reload-worker.php in the test's temp folder, edited while rr-tcp serves it.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReloadTest extends ServerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RELOAD = """
            reload:
              interval: 1s
              services:
                tcp:
                  dirs: ["."]
                  recursive: true
                  ignore: ["vendor"]
            """;
    private static final String CHANGED = "files changed, reloading";
    private static final String RELOADED = "\treloaded ";

    private Path worker;

    @BeforeEach
    void copyTheWorker() throws IOException {
        worker = dir.resolve("worker.php");
        Files.copy(TestServer.WORKERS.resolve("reload-worker.php"), worker);
    }

    /** Starts rr-tcp on the copied worker and waits until it watches; returns the start-up line of the watch. */
    private String start(int workers, LogCapture log) throws Exception {
        server = TestServer.in(dir).workers(workers).script(worker.toString())
                .env("TEST_WORKERS", TestServer.WORKERS.toString()).section(RELOAD).start();
        return log.await(WAIT, "watching for code changes");
    }

    private void setVersion(String version) throws IOException {
        String code = Files.readString(worker).replaceAll("const VERSION = '[^']*';", "const VERSION = '" + version + "';");
        Files.writeString(worker, code);
    }

    private static long pidOf(String reply) {
        return Long.parseLong(reply.trim().substring(reply.trim().lastIndexOf(' ') + 1));
    }

    private static List<String> matching(LogCapture log, String part) {
        return log.lines().stream().filter(l -> l.contains(part)).toList();
    }

    @Test
    void anEditChangesTheReplyOfAnOpenConnectionAndReplacesEveryWorker() throws Exception {
        try (LogCapture log = new LogCapture()) {
            String watching = start(2, log);
            assertTrue(watching.contains("mode=inotify") && watching.contains("files=1 "), watching);
            try (Client client = server.connect("main")) {
                String before = client.ask("version\r\n");
                assertTrue(before.startsWith("v1 "), before);
                List<Long> oldPids = server.workerPids();

                setVersion("v2");
                String reloaded = log.await(WAIT, RELOADED);
                assertTrue(matching(log, CHANGED).getFirst().contains("count=1 files=worker.php"), log.lines().toString());
                assertTrue(reloaded.contains("reset=") && reloaded.contains("pids="), reloaded);

                String after = client.ask("version\r\n");
                assertTrue(after.startsWith("v2 "), "the open connection runs the new code: " + after);
                assertTrue(!oldPids.contains(pidOf(after)), after + " vs old " + oldPids);
                List<Long> newPids = server.workerPids();
                assertEquals(2, newPids.size());
                assertTrue(Collections.disjoint(oldPids, newPids), oldPids + " -> " + newPids);
                assertTrue(reloaded.contains(newPids.toString().replace("[", "").replace("]", "").split(",")[0]),
                        "the log names the new pids: " + reloaded + " " + newPids);
                assertEquals("still open\r\n", client.ask("still open\r\n"), "the connection stayed open");
            }
        }
    }

    @Test
    void aBurstOf500FilesIsOneReset() throws Exception {
        try (LogCapture log = new LogCapture()) {
            start(2, log);
            for (int folder = 0; folder < 10; folder++) {
                Path sub = Files.createDirectories(dir.resolve("src/module" + folder)); // new folders, watched as found
                for (int i = 0; i < 50; i++) {
                    Files.writeString(sub.resolve("Class" + i + ".php"), "<?php\nfinal class C" + folder + "_" + i + " {}\n");
                }
            }
            log.await(WAIT, RELOADED);
            // a later single change shows whether the burst was split: it would have reset again in between
            Files.writeString(dir.resolve("marker.php"), "<?php\n");
            log.await(WAIT, CHANGED, "marker.php");
            List<String> changes = matching(log, CHANGED);
            assertEquals(2, changes.size(), changes.toString());
            assertTrue(changes.get(0).contains("count=500 "), changes.get(0));
            assertTrue(changes.get(0).contains(" and 495 more"), changes.get(0));
            assertTrue(changes.get(1).contains("count=1 files=marker.php"), changes.get(1));
        }
    }

    @Test
    void aSyntaxErrorKeepsTheOldWorkersServingWithThePhpErrorInTheLogAndAFixReloads() throws Exception {
        try (LogCapture log = new LogCapture()) {
            start(2, log);
            List<Long> oldPids = server.workerPids();
            try (Client client = server.connect("main")) {
                Files.writeString(worker, Files.readString(worker).replace("const VERSION = 'v1';",
                        "const VERSION = 'v2';\n$broken = ;"));
                String error = log.await(WAIT, "the changed code does not start");
                assertTrue(error.contains("PHP Parse error:  syntax error"), error);
                assertTrue(error.contains(worker + " on line "), "file and line as PHP printed them: " + error);
                assertEquals(oldPids, server.workerPids(), "the old workers stay");
                String reply = client.ask("version\r\n");
                assertTrue(reply.startsWith("v1 ") && oldPids.contains(pidOf(reply)), reply);

                Files.writeString(worker, Files.readString(worker).replace("$broken = ;", "$fixed = 1;"));
                log.await(WAIT, RELOADED);
                String fixed = client.ask("version\r\n");
                assertTrue(fixed.startsWith("v2 ") && !oldPids.contains(pidOf(fixed)), fixed);
            }
        }
    }

    @Test
    void anIgnoredFolderAndOtherSuffixesTriggerNothing() throws Exception {
        try (LogCapture log = new LogCapture()) {
            start(1, log);
            List<Long> pids = server.workerPids();
            Files.createDirectories(dir.resolve("vendor/acme"));
            Files.writeString(dir.resolve("vendor/acme/Lib.php"), "<?php\n");
            Files.writeString(dir.resolve("notes.txt"), "not code\n");
            Files.writeString(dir.resolve(".worker.php.swp"), "an editor's swap file\n");
            Files.writeString(dir.resolve("worker.php~"), "an editor's backup\n");
            // the marker is noticed after the files above; had any of them counted, it would be in this batch or before
            Files.writeString(dir.resolve("marker.php"), "<?php\n");
            log.await(WAIT, RELOADED);
            List<String> changes = matching(log, CHANGED);
            assertEquals(1, changes.size(), changes.toString());
            assertTrue(changes.getFirst().contains("count=1 files=marker.php"), changes.getFirst());
            assertTrue(Collections.disjoint(pids, server.workerPids()), "the marker did reload");
        }
    }

    @Test
    void aRequestInFlightDuringAReloadCompletesOnItsOldWorker() throws Exception {
        try (LogCapture log = new LogCapture()) {
            start(1, log);
            long oldPid = server.workerPids().getFirst();
            Path go = dir.resolve("go");
            try (Client busy = server.connect("main")) {
                busy.send("wait " + go + "\r\n");
                Await.until(() -> server.server().pool().workers().getFirst().state().statusStr(),
                        "working"::equals, WAIT, "the request to reach the worker");
                setVersion("v2");
                log.await(WAIT, "reset: replacing every worker");
                Files.writeString(go, "");
                assertEquals("waited v1 " + oldPid + "\n", busy.readLine(), "finished on the old worker, old code");
                log.await(WAIT, RELOADED);
                String next = busy.ask("version\r\n");
                assertTrue(next.startsWith("v2 ") && pidOf(next) != oldPid, next);
            }
            assertTrue(ProcessHandle.of(oldPid).map(p -> !p.isAlive()).orElse(true), "the old worker stopped after it");
        }
    }

    @Test
    void pollingNoticesAnEditWhenAskedFor() throws Exception {
        System.setProperty("rrtcp.reload.watch", "poll");
        try (LogCapture log = new LogCapture()) {
            assertTrue(start(1, log).contains("mode=polling"));
            setVersion("v2");
            log.await(WAIT, RELOADED);
            try (Client client = server.connect("main")) {
                assertTrue(client.ask("version\r\n").startsWith("v2 "));
            }
        } finally {
            System.clearProperty("rrtcp.reload.watch");
        }
    }

    @Test
    void theTrialWorkerAndTheResetWorkOverASocketRelay() throws Exception {
        try (LogCapture log = new LogCapture()) {
            server = TestServer.in(dir).workers(1).script(worker.toString()).serverLine("relay: tcp://127.0.0.1:0")
                    .env("TEST_WORKERS", TestServer.WORKERS.toString()).section(RELOAD).start();
            log.await(WAIT, "watching for code changes");
            setVersion("v2");
            log.await(WAIT, RELOADED);
            try (Client client = server.connect("main")) {
                assertTrue(client.ask("version\r\n").startsWith("v2 "));
            }
        }
    }

    @Test
    void aWatchedFolderThatDoesNotExistFailsStartNamingTheKey() throws Exception {
        IOException e = assertThrows(IOException.class, () -> TestServer.in(dir).workers(1).script(worker.toString())
                .env("TEST_WORKERS", TestServer.WORKERS.toString())
                .section(RELOAD.replace("dirs: [\".\"]", "dirs: [\"app\"]")).start());
        assertTrue(e.getMessage().contains("reload.services.tcp.dirs: " + dir.resolve("app") + " is not a folder"),
                e.getMessage());
    }
}
