package io.rrtcp.worker;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerLauncherTest {
    @Test
    void withoutServerUserWorkersStartAsRrTcpItself() throws Exception {
        assertEquals(List.of(), WorkerLauncher.runAs(RunAs.NONE, 1000));
    }

    @Test
    void serverUserWithoutRootIsAClearErrorNamingTheKeysAndTheUid() {
        WorkerException e = assertThrows(WorkerException.class,
                () -> WorkerLauncher.runAs(new RunAs(Optional.of("www-data"), Optional.empty()), 1000));
        assertEquals(WorkerException.Kind.START_FAILED, e.kind());
        assertTrue(e.getMessage().contains("server.user/server.group (user=www-data group=) needs rr-tcp to run as root, "
                + "it runs as uid 1000"), e.getMessage());
    }

    @Test
    void asRootSetprivSwitchesUserAndGroupAndClearsSupplementaryGroups() throws Exception {
        assertEquals(List.of("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"),
                WorkerLauncher.runAs(new RunAs(Optional.of("nobody"), Optional.of("nogroup")), 0));
    }
}
