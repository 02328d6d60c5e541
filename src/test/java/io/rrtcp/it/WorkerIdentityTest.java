package io.rrtcp.it;

import io.rrtcp.config.ConfigOptions;
import io.rrtcp.worker.WorkerException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a worker inherits as upstream's would: dotenv variables in its environment, server.user / server.group. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerIdentityTest extends ServerTest {
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
        server = TestServer.in(dir).workers(1).noEventLog().serverLine("user: nobody").serverLine("group: nogroup").start();
        String nobody = new String(new ProcessBuilder("id", "-u", "nobody").start().getInputStream().readAllBytes()).strip();
        String nogroup = new String(new ProcessBuilder("getent", "group", "nogroup").start().getInputStream()
                .readAllBytes()).split(":")[2];
        try (Client client = server.connect("main")) {
            assertEquals(nobody + ":" + nogroup + "\n", client.ask("whoami\r\n"));
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
