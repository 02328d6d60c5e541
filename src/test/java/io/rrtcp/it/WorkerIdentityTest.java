package io.rrtcp.it;

import io.rrtcp.config.ConfigOptions;
import io.rrtcp.worker.WorkerException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a worker inherits as upstream's would: dotenv variables in its environment, server.user / server.group. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerIdentityTest extends ServerTest {
    private final List<Path> copies = new ArrayList<>();

    private static boolean root() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        return new String(id.getInputStream().readAllBytes()).strip().equals("0");
    }

    @Test
    void dotenvVariablesReachTheWorkersWhileSetVariablesAndServerEnvWin() throws Exception {
        Path dotenv = dir.resolve("app.env");
        Files.writeString(dotenv, "FROM_DOTENV=dotenv-value\nHOME=/not/the/home\nSHARED_NAME=from-dotenv\n");
        server = TestServer.in(dir).workers(1).env("SHARED_NAME", "from-server-env")
                .options(ConfigOptions.of(List.of(), dotenv)).start();
        try (Client client = server.connect("main")) {
            assertEquals("dotenv-value\n", client.ask("getenv FROM_DOTENV\r\n"));
            assertEquals(System.getenv("HOME") + "\n", client.ask("getenv HOME\r\n"), "a set variable wins");
            assertEquals("from-server-env\n", client.ask("getenv SHARED_NAME\r\n"), "server.env wins over the file");
        }
    }

    @Test
    void envfileVariablesReachTheWorkersToo() throws Exception {
        Files.writeString(dir.resolve(".env"), "FROM_ENVFILE=envfile-value\n");
        Path config = TestServer.in(dir).workers(1).server("main", "\\r\\n").writeConfig();
        Files.writeString(config, "envfile: .env\n" + Files.readString(config));
        server = TestServer.in(dir).workers(1).startWith(config);
        try (Client client = server.connect("main")) {
            assertEquals("envfile-value\n", client.ask("getenv FROM_ENVFILE\r\n"));
        }
    }

    @Test
    void asRootWorkersRunAsServerUserAndGroup() throws Exception {
        Assumptions.assumeTrue(root(), "needs root, as upstream");
        // the checkout may sit in a folder only root can enter (a CI clone in a mktemp folder): give nobody a copy
        Path readable = worldReadableCopyOfTheWorker();
        server = TestServer.in(dir).workers(1).noEventLog().script(readable.toString())
                .serverLine("user: nobody").serverLine("group: nogroup").start();
        String nobody = new String(new ProcessBuilder("id", "-u", "nobody").start().getInputStream().readAllBytes()).strip();
        String nogroup = new String(new ProcessBuilder("getent", "group", "nogroup").start().getInputStream()
                .readAllBytes()).split(":")[2];
        try (Client client = server.connect("main")) {
            assertEquals(nobody + ":" + nogroup + "\n", client.ask("whoami\r\n"));
        }
    }

    /** tcp-worker.php and its lib/ copied into a fresh folder that every user may read, removed after the test. */
    private Path worldReadableCopyOfTheWorker() throws Exception {
        Path copy = Files.createTempDirectory("rrtcp-worker-as-user");
        copies.add(copy);
        Files.createDirectories(copy.resolve("lib"));
        Files.copy(TestServer.WORKERS.resolve("tcp-worker.php"), copy.resolve("tcp-worker.php"));
        try (var lib = Files.list(TestServer.WORKERS.resolve("lib"))) {
            for (Path file : lib.filter(Files::isRegularFile).toList()) {
                Files.copy(file, copy.resolve("lib").resolve(file.getFileName()));
            }
        }
        try (var all = Files.walk(copy)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return copy.resolve("tcp-worker.php");
    }

    @AfterEach
    void removeCopies() throws Exception {
        for (Path copy : copies) {
            try (var all = Files.walk(copy)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void anUnknownServerUserFailsStartWithItsName() throws Exception {
        Assumptions.assumeTrue(root(), "needs root, as upstream");
        WorkerException e = assertThrows(WorkerException.class, () -> TestServer.in(dir).workers(1).noEventLog()
                .serverLine("user: no-such-user-rrtcp").start());
        assertTrue(e.getMessage().contains("no-such-user-rrtcp"), e.getMessage());
    }
}
