package dev.empathy.jobs.frame;

import static org.apache.spark.sql.functions.udf;

import dev.empathy.reports.io.ReportFolder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

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

    /** The letters that stand for the hex digits 0-9a-f in a pseudonym. */
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
     * The pseudonym of an identifier column: {@code letters(hex(H(K xor opad || H(K xor ipad ||
     * id)))[0..16))}, null for a null id. A function ({@link Hmac}) rather than Spark's
     * {@code sha2} expressions: the key stays out of the query plan (which event logs and the UI
     * print), and each row costs two SHA-256 compressions instead of four plus hex round trips
     * (a third of the time on 5M ids); a run of rows with the same id, as rows laid out by
     * customer come, is hashed once.
     */
    public static Column pseudonym(Column id, Key key) {
        return udf(new Hmac(key.inner, key.outer), DataTypes.StringType).apply(id.cast("string"));
    }

    /**
     * HMAC-SHA256 pseudonyms, per thread: the digests' states after the padded key's block are
     * kept and cloned for each id.
     */
    private static final class Hmac implements UDF1<String, String> {
        private static final long serialVersionUID = 1L;
        private final byte[] inner;
        private final byte[] outer;
        private final transient ThreadLocal<State> states;

        Hmac(byte[] inner, byte[] outer) {
            this.inner = inner.clone();
            this.outer = outer.clone();
            this.states = ThreadLocal.withInitial(() -> new State(this.inner, this.outer));
        }

        /** Deserialized (each task's copy): through the constructor, which makes the per-thread states. */
        private Object readResolve() {
            return new Hmac(inner, outer);
        }

        /** One thread's digests after the key block, and its last id with its pseudonym. */
        private static final class State {
            final MessageDigest innerStart;
            final MessageDigest outerStart;
            String lastId;
            String lastPseudonym;

            State(byte[] inner, byte[] outer) {
                innerStart = sha256();
                innerStart.update(inner);
                outerStart = sha256();
                outerStart.update(outer);
            }
        }

        @Override
        public String call(String id) {
            if (id == null) {
                return null;
            }
            State s = states.get();
            if (id.equals(s.lastId)) {
                return s.lastPseudonym;
            }
            String pseudonym;
            try {
                byte[] innerHash = ((MessageDigest) s.innerStart.clone()).digest(id.getBytes(StandardCharsets.UTF_8));
                pseudonym = letters(((MessageDigest) s.outerStart.clone()).digest(innerHash));
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the JDK's SHA-256 digests can be cloned", e);
            }
            s.lastId = id;
            s.lastPseudonym = pseudonym;
            return pseudonym;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** The first {@link #PSEUDONYM_HEX} hex digits of {@code mac} in the letters {@link #LETTERS}. */
    private static String letters(byte[] mac) {
        char[] out = new char[PSEUDONYM_HEX];
        for (int i = 0; i < PSEUDONYM_HEX / 2; i++) {
            out[2 * i] = LETTERS.charAt((mac[i] & 0xff) >> 4);
            out[2 * i + 1] = LETTERS.charAt(mac[i] & 0x0f);
        }
        return new String(out);
    }

    /**
     * The same pseudonym computed on the driver (for tests and messages) by the same function,
     * from the id's UTF-8 bytes.
     */
    static String pseudonym(String id, Key key) {
        return new Hmac(key.inner, key.outer).call(id);
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
