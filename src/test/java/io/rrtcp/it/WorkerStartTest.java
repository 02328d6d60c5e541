package io.rrtcp.it;

import io.rrtcp.worker.WorkerException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Workers that fail before the pid handshake: the error says what happened the same way every run. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerStartTest extends ServerTest {

    /** It used to be "Broken pipe", "Stream closed" or "Bad file descriptor", depending on the race. */
    @RepeatedTest(4)
    void aWorkerThatExitsZeroBeforeTheHandshakeIsReportedAsSuchWithItsStderr() {
        WorkerException e = assertThrows(WorkerException.class,
                () -> TestServer.in(dir).workers(1).env("EXIT_ON_START", "1").start());
        assertEquals(WorkerException.Kind.START_FAILED, e.kind());
        assertTrue(e.getMessage().contains("exited with code 0 before answering the pid handshake"), e.getMessage());
        assertTrue(e.getMessage().contains("leaving early"), e.getMessage());
    }

    /** Stray output followed by the real pid frame used to be shown as one hex dump. */
    @RepeatedTest(3)
    void strayStdoutBeforeTheHandshakeIsShownAsText() {
        WorkerException e = assertThrows(WorkerException.class,
                () -> TestServer.in(dir).workers(1).env("STDOUT_ON_START", "debug: connecting to db\\n").start());
        assertEquals(WorkerException.Kind.START_FAILED, e.kind());
        assertTrue(e.getMessage().contains("\"debug: connecting to db\\n"), e.getMessage());
    }

    @RepeatedTest(3)
    void aFewBytesOfStrayStdoutAreShownAsTextToo() {
        WorkerException e = assertThrows(WorkerException.class,
                () -> TestServer.in(dir).workers(1).env("STDOUT_ON_START", "hi\\n").env("EXIT_ON_START", "1").start());
        assertTrue(e.getMessage().contains("\"hi\\n\""), e.getMessage());
    }
}
