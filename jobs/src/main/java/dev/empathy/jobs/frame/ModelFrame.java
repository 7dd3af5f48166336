package dev.empathy.jobs.frame;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.unhex;
import static org.apache.spark.sql.functions.when;

import dev.empathy.reports.io.ReportFolder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rows a model was fitted on, written beside the job's estimates so that a notebook can refit
 * the model from the same formula and the same rows ({@code empathy export-notebooks},
 * docs/notebooks.md).
 *
 * <p>A frame is a folder of gzip CSV part files with a header each, written by Spark's CSV
 * writer (missing values as empty cells, doubles with every digit). Identifiers never leave in
 * clear: each is replaced by its pseudonym, the first 16 hex digits of HMAC-SHA256 (RFC 2104) of
 * its UTF-8 bytes written in the letters {@code a..p} (digits 0-9 as g-p: no run of digits that
 * a scanner would take for a phone or card number, and never read as a number) under a {@link Key} drawn at random for the frame and
 * never written anywhere. Rows of one cluster keep one pseudonym, so cluster-robust errors can be
 * refitted; nothing links a pseudonym to the id or to another run. Frames are therefore the only
 * files of a run that differ from one run to the next on the same input.
 */
public final class ModelFrame {

    /** Hex digits of the HMAC kept in a pseudonym (64 bits: no collision to expect below 10^8 ids). */
    static final int PSEUDONYM_HEX = 16;

    private static final int BLOCK = 64;

    /** Hex digits and the letters that stand for them in a pseudonym. */
    static final String HEX = "0123456789abcdef";
    static final String LETTERS = "ghijklmnopabcdef";

    private ModelFrame() {
    }

    /**
     * A secret HMAC key. {@link #random()} draws one from {@link SecureRandom}; its bytes are not
     * exposed, so it cannot reach a file or a log.
     */
    public static final class Key {
        private final byte[] inner;
        private final byte[] outer;

        private Key(byte[] secret) {
            // RFC 2104: a key no longer than the block is zero-padded, then xored with ipad and opad.
            byte[] padded = Arrays.copyOf(secret, BLOCK);
            inner = new byte[BLOCK];
            outer = new byte[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                inner[i] = (byte) (padded[i] ^ 0x36);
                outer[i] = (byte) (padded[i] ^ 0x5c);
            }
        }

        /** A fresh 32-byte key. */
        public static Key random() {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            return new Key(secret);
        }

        /** A given key (tests: the HMAC is checked against {@code javax.crypto.Mac}). */
        static Key of(byte[] secret) {
            if (secret.length > BLOCK) {
                throw new IllegalArgumentException("an HMAC key longer than " + BLOCK + " bytes must be hashed first");
            }
            return new Key(secret.clone());
        }

        @Override
        public String toString() {
            return "ModelFrame.Key[secret]";
        }
    }

    /**
     * The pseudonym of an identifier column, as a Spark expression (no UDF):
     * {@code letters(hex(H(K xor opad || H(K xor ipad || id)))[0..16))}, null for a null id.
     */
    public static Column pseudonym(Column id, Key key) {
        Column message = id.cast("string").cast("binary");
        Column innerHash = unhex(sha2(concat(lit(key.inner), message), 256));
        Column mac = sha2(concat(lit(key.outer), innerHash), 256);
        return when(id.isNull(), lit(null).cast("string"))
                .otherwise(translate(substring(mac, 1, PSEUDONYM_HEX), HEX, LETTERS));
    }

    /** The same pseudonym computed on the driver (for tests and messages), from the id's UTF-8 bytes. */
    static String pseudonym(String id, Key key) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(key.inner);
            byte[] innerHash = sha.digest(id.getBytes(StandardCharsets.UTF_8));
            sha.update(key.outer);
            byte[] mac = sha.digest(innerHash);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < PSEUDONYM_HEX / 2; i++) {
                s.append(LETTERS.charAt((mac[i] & 0xff) >> 4)).append(LETTERS.charAt(mac[i] & 0x0f));
            }
            return s.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** The {@code model-frame} option of the jobs that write frames: {@code on} or {@code off}. */
    public static boolean enabled(String text) {
        String t = text == null ? "on" : text.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "on", "yes", "true" -> true;
            case "off", "no", "false" -> false;
            default -> throw new IllegalArgumentException("--model-frame: on or off, got '" + text + "'");
        };
    }

    /**
     * Writes {@code frame} as the folder {@code name} of {@code folder}: gzip CSV part files with
     * headers, replacing what was there. The gzip is zlib's fastest level: half the time of its
     * default for files some 7% larger (3M rows of a frame's mix of numbers, codes and pseudonyms,
     * measured on 2 cores; Hadoop's gzip codec reads the level from the writer's options).
     */
    public static void write(Dataset<Row> frame, ReportFolder folder, String name) {
        frame.write().mode("overwrite").option("header", "true").option("compression", "gzip")
                .option("zlib.compress.level", "BEST_SPEED")
                .csv(folder.location(name));
    }
}
