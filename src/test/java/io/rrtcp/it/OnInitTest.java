package io.rrtcp.it;

import io.rrtcp.worker.WorkerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** server.on_init: run once before the workers; a failure stops the start with its exit code and output. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OnInitTest extends ServerTest {
    private static String php(String code) {
        return "  command: [\"php\", \"-r\", \"" + code + "\"]";
    }

    @Test
    void runsBeforeTheWorkersInTheWorkingDirectoryWithItsEnv() throws Exception {
        server = TestServer.in(dir).workers(1).serverLine("on_init:")
                .serverLine(php("file_put_contents('init.done', getenv('STAGE'));"))
                .serverLine("  env: {stage: migrated}").start();
        assertEquals("migrated", Files.readString(dir.resolve("init.done")));
        try (Client client = server.connect("main")) {
            assertEquals("x\r\n", client.ask("x\r\n"));
        }
    }

    @Test
    void aFailureAbortsTheStartWithExitCodeAndStderr() {
        WorkerException e = assertThrows(WorkerException.class, () -> TestServer.in(dir).workers(1)
                .serverLine("on_init:").serverLine(php("fwrite(STDERR, 'no database'); exit(7);")).start());
        assertTrue(e.getMessage().contains("exit code 7"), e.getMessage());
        assertTrue(e.getMessage().contains("no database"), e.getMessage());
    }

    @Test
    void aCommandPastExecTimeoutIsKilledAndAbortsTheStart() {
        long start = System.nanoTime();
        WorkerException e = assertThrows(WorkerException.class, () -> TestServer.in(dir).workers(1)
                .serverLine("on_init:").serverLine(php("sleep(30);")).serverLine("  exec_timeout: 500ms").start());
        assertTrue(e.getMessage().contains("exec_timeout=500ms"), e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(15).toNanos());
    }

    @Test
    void exitOnErrorFalseLogsTheFailureAndStartsAnyway() throws Exception {
        try (LogCapture log = new LogCapture()) {
            server = TestServer.in(dir).workers(1).serverLine("on_init:").serverLine(php("exit(2);"))
                    .serverLine("  exit_on_error: false").start();
            log.await(Duration.ofSeconds(5), "on_init failed; starting anyway");
        }
        try (Client client = server.connect("main")) {
            assertEquals("x\r\n", client.ask("x\r\n"));
        }
    }
}
