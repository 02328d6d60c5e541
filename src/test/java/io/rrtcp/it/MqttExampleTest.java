package io.rrtcp.it;

import io.rrtcp.support.DebianPackages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** examples/mqtt (framing: length, varint after one byte) with the real mosquitto_pub. */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MqttExampleTest {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static String mosquittoPub;

    @TempDir
    Path dir;

    @BeforeAll
    static void clients() {
        mosquittoPub = DebianPackages.require("mosquitto_pub", "mosquitto-clients").toString();
    }

    /** mosquitto_pub with debug output (-d: one line per packet) against the example, then {@code args}. */
    private static List<String> pub(Example mqtt, String... args) {
        List<String> command = new ArrayList<>(List.of(mosquittoPub, "-h", "127.0.0.1", "-p",
                Integer.toString(mqtt.port()), "-d"));
        command.addAll(List.of(args));
        return command;
    }

    private Example.Run publish(Example mqtt, String... args) throws Exception {
        return Example.run(dir, CLIENT_TIMEOUT, pub(mqtt, args));
    }

    @Test
    void mosquittoPubWithQos1GetsConnackAndPuback() throws Exception {
        try (LogCapture log = new LogCapture(); Example mqtt = Example.start("mqtt", "mqtt")) {
            Example.Run run = publish(mqtt, "-i", "sensor-1", "-t", "sensors/t1", "-m", "21.5", "-q", "1");
            assertEquals(0, run.code(), run.output());
            assertEquals("""
                    Client sensor-1 sending CONNECT
                    Client sensor-1 received CONNACK (0)
                    Client sensor-1 sending PUBLISH (d0, q1, r0, m1, 'sensors/t1', ... (4 bytes))
                    Client sensor-1 received PUBACK (Mid: 1, RC:0)
                    Client sensor-1 sending DISCONNECT
                    """, run.output());
            log.await(Duration.ofSeconds(5), "mqtt: CONNECT client_id=sensor-1 level=4");
            log.await(Duration.ofSeconds(5), "mqtt: PUBLISH topic=sensors/t1 qos=1 bytes=4 payload=21.5");
        }
    }

    @Test
    void mosquittoPubWithQos0GetsNoAckAndTheMessageArrives() throws Exception {
        try (LogCapture log = new LogCapture(); Example mqtt = Example.start("mqtt", "mqtt")) {
            Example.Run run = publish(mqtt, "-i", "sensor-2", "-t", "sensors/door", "-m", "open", "-q", "0");
            assertEquals(0, run.code(), run.output());
            assertTrue(run.output().contains("received CONNACK (0)"), run.output());
            assertTrue(!run.output().contains("PUBACK"), run.output());
            log.await(Duration.ofSeconds(5), "mqtt: PUBLISH topic=sensors/door qos=0 bytes=4 payload=open");
        }
    }

    @Test
    void aPayloadOf200KbNeedsAThreeByteVarintAndArrivesWhole() throws Exception {
        Path file = dir.resolve("payload.bin");
        byte[] payload = new byte[200 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        Files.write(file, payload);
        try (LogCapture log = new LogCapture(); Example mqtt = Example.start("mqtt", "mqtt")) {
            Example.Run run = publish(mqtt, "-i", "camera", "-t", "images/1", "-f", file.toString(), "-q", "1");
            assertEquals(0, run.code(), run.output());
            assertTrue(run.output().contains("received PUBACK (Mid: 1, RC:0)"), run.output());
            String md5 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(payload));
            log.await(Duration.ofSeconds(5), "mqtt: PUBLISH topic=images/1 qos=1 bytes=204800 "
                    + "payload=0x0001020304050607... md5=" + md5);
        }
    }

    @Test
    void anIdleMosquittoPubSendsPingreqAndGetsPingresp() throws Exception {
        try (Example mqtt = Example.start("mqtt", "mqtt")) {
            Path output = dir.resolve("pub.out");
            // -l: one message per stdin line; -k 5: keep-alive 5 s (libmosquitto's smallest), so it pings while idle;
            // stdbuf: its debug lines reach the file as they are printed, not when it exits
            List<String> command = new ArrayList<>(List.of("stdbuf", "-oL"));
            command.addAll(pub(mqtt, "-i", "idle", "-k", "5", "-l", "-t", "lines", "-q", "1"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write("first\n".getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                Await.until(() -> Files.readString(output), o -> o.contains("received PINGRESP"), Duration.ofSeconds(30),
                        "a PINGREQ answered");
                stdin.write("second\n".getBytes(StandardCharsets.UTF_8));
            } finally {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            assertEquals(0, p.exitValue(), Files.readString(output));
            assertEquals("""
                    Client idle sending CONNECT
                    Client idle received CONNACK (0)
                    Client idle sending PUBLISH (d0, q1, r0, m1, 'lines', ... (5 bytes))
                    Client idle received PUBACK (Mid: 1, RC:0)
                    Client idle sending PINGREQ
                    Client idle received PINGRESP
                    Client idle sending PUBLISH (d0, q1, r0, m2, 'lines', ... (6 bytes))
                    Client idle received PUBACK (Mid: 2, RC:0)
                    Client idle sending DISCONNECT
                    """, Files.readString(output));
        }
    }
}
