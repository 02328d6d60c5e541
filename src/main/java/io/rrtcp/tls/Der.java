package io.rrtcp.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough DER to turn a PKCS#1 RSA key or a SEC1 EC key into the PKCS#8 structure the JDK's key factories read:
 * writing a few element types and walking the elements of a SEQUENCE. Not a general ASN.1 library.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]} constructed: where SEC1 keeps the curve. */
    static final int CONTEXT_0 = 0xA0;

    /** rsaEncryption, 1.2.840.113549.1.1.1 */
    static final byte[] RSA_ENCRYPTION = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    /** id-ecPublicKey, 1.2.840.10045.2.1 */
    static final byte[] EC_PUBLIC_KEY = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    /** One element: its tag and the whole encoding (tag, length and content). */
    record Element(int tag, byte[] encoded, int contentStart) {
        byte[] content() {
            byte[] out = new byte[encoded.length - contentStart];
            System.arraycopy(encoded, contentStart, out, 0, out.length);
            return out;
        }
    }

    private Der() {
    }

    static byte[] element(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        writeLength(out, content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... parts) {
        return element(SEQUENCE, parts);
    }

    /** PrivateKeyInfo (RFC 5208): version 0, the algorithm identifier, the algorithm's own key encoding. */
    static byte[] pkcs8(byte[] algorithmIdentifier, byte[] privateKey) {
        return sequence(element(INTEGER, new byte[]{0}), algorithmIdentifier, element(OCTET_STRING, privateKey));
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write(length >>> (8 * i));
        }
    }

    /** The elements inside the SEQUENCE that {@code der} holds. */
    static List<Element> children(byte[] der) {
        Element outer = read(der, 0);
        if (outer.tag() != SEQUENCE) {
            throw new IllegalArgumentException("not a DER SEQUENCE");
        }
        List<Element> out = new ArrayList<>();
        int at = outer.contentStart();
        while (at < outer.encoded().length) {
            Element child = read(outer.encoded(), at);
            out.add(child);
            at += child.encoded().length;
        }
        return out;
    }

    private static Element read(byte[] der, int at) {
        if (at + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = der[at] & 0xFF;
        int length = der[at + 1] & 0xFF;
        int header = 2;
        if (length >= 0x80) {
            int bytes = length & 0x7F;
            if (bytes == 0 || bytes > 3 || at + 2 + bytes > der.length) {
                throw new IllegalArgumentException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[at + 2 + i] & 0xFF);
            }
            header += bytes;
        }
        if (at + header + length > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        byte[] encoded = new byte[header + length];
        System.arraycopy(der, at, encoded, 0, encoded.length);
        return new Element(tag, encoded, header);
    }
}
