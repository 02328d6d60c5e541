package io.rrtcp.rpc;

import io.rrtcp.goridge.Frame;
import io.rrtcp.tcp.ConnectionRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every field of every RPC argument goes through one check with one wording (issue 10, item 9). */
class RpcArgumentsTest {
    private final RpcDispatcher dispatcher = RpcDispatcher.of(new ConnectionRegistry(), Set.of("main"),
            Map.of("tcp", new ManagedWorkers() {
                @Override
                public List<WorkerStatus> workers() {
                    return List.of();
                }

                @Override
                public void addWorker() {
                }

                @Override
                public void removeWorker() {
                }

                @Override
                public void reset() {
                }
            }), Duration.ofSeconds(1), "test");

    private String errorOf(String method, String json) {
        byte[] name = method.getBytes(StandardCharsets.UTF_8);
        Frame reply = dispatcher.handle(new Frame(Frame.CODEC_JSON, 0, new int[]{1, name.length},
                (method + json).getBytes(StandardCharsets.UTF_8)));
        assertTrue(reply.has(Frame.ERROR), method + " " + json + " is an error");
        String payload = new String(reply.payload(), StandardCharsets.UTF_8);
        return payload.substring(reply.options()[1]);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tcp.Broadcast|{\"server\":\"main\",\"data\":\"x\",\"except\":7}|\"except\" must be a string, got 7",
            "tcp.Broadcast|{\"server\":5,\"data\":\"x\"}|\"server\" must be a string, got 5",
            "tcp.Broadcast|{\"server\":\"main\",\"data\":[1]}|\"data\" must be a string, got [1]",
            "tcp.Broadcast|{\"server\":\"main\",\"data\":\"x\",\"except\":{}}|\"except\" must be a string, got {}",
            "tcp.Send|{\"uuid\":true,\"data\":\"x\"}|\"uuid\" must be a string, got true",
            "tcp.Send|{\"uuid\":\"u\"}|\"data\" must be a string, got nothing",
    })
    void aFieldOfTheWrongTypeGetsTheSameClearError(String method, String json, String expected) {
        assertEquals(expected, errorOf(method, json));
    }
}
