package io.rrtcp.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Base of the integration tests: a temp folder for the config and event log, and the server stopped after each test. */
abstract class ServerTest {
    @TempDir
    Path dir;
    TestServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}
