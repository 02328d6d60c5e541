package io.rrtcp.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code -----BEGIN type----- … -----END type-----} block of a PEM file, decoded. Text around the blocks
 * (openssl's "Bag Attributes", comments) is ignored, as openssl does.
 *
 * @param encrypted whether the block has the legacy {@code Proc-Type: 4,ENCRYPTED} header
 */
record PemBlock(String type, byte[] der, boolean encrypted) {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);

    static List<PemBlock> parse(String text) {
        List<PemBlock> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            boolean encrypted = body.contains("Proc-Type:") && body.contains("ENCRYPTED");
            // legacy headers end with an empty line; the base64 follows it
            int blank = body.indexOf("\n\n");
            if (body.contains(":") && blank >= 0) {
                body = body.substring(blank + 2);
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the " + m.group(1) + " block is not valid base64");
            }
            out.add(new PemBlock(m.group(1), der, encrypted));
        }
        return out;
    }
}
