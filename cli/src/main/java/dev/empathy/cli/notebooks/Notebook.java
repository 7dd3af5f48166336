package dev.empathy.cli.notebooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Jupyter notebook in nbformat 4.4 (the JSON schema of {@code nbformat/v4/nbformat.v4.4.schema.json}):
 * markdown and code cells, each with {@code cell_type}, {@code metadata} and {@code source} (a
 * list of lines), code cells also with {@code execution_count} null and no {@code outputs}; the
 * notebook's {@code metadata} names the python3 kernel and the language. Built by
 * {@link #markdown} and {@link #code}, written by {@link #json()} with Jackson.
 */
public final class Notebook {

    /** One cell: its type and its text. */
    public record Cell(String type, String source) {
    }

    private final List<Cell> cells = new ArrayList<>();

    /** Adds a markdown cell. */
    public Notebook markdown(String text) {
        cells.add(new Cell("markdown", text.strip()));
        return this;
    }

    /** Adds a code cell. */
    public Notebook code(String text) {
        cells.add(new Cell("code", text.strip()));
        return this;
    }

    /** The cells so far, in order. */
    public List<Cell> cells() {
        return List.copyOf(cells);
    }

    /** The notebook as nbformat 4.4 JSON (two-space indents, keys in a fixed order, a final newline). */
    public String json() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ArrayNode array = root.putArray("cells");
        for (Cell c : cells) {
            ObjectNode cell = array.addObject();
            cell.put("cell_type", c.type());
            if (c.type().equals("code")) {
                cell.putNull("execution_count");
            }
            cell.putObject("metadata");
            if (c.type().equals("code")) {
                cell.putArray("outputs");
            }
            ArrayNode source = cell.putArray("source");
            for (String line : lines(c.source())) {
                source.add(line);
            }
        }
        ObjectNode metadata = root.putObject("metadata");
        ObjectNode kernel = metadata.putObject("kernelspec");
        kernel.put("display_name", "Python 3");
        kernel.put("language", "python");
        kernel.put("name", "python3");
        ObjectNode language = metadata.putObject("language_info");
        language.put("name", "python");
        language.put("file_extension", ".py");
        language.put("mimetype", "text/x-python");
        root.put("nbformat", 4);
        root.put("nbformat_minor", 4);
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    /** The lines of a text as nbformat keeps them: each with its newline but the last. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int end = text.indexOf('\n', from);
            if (end < 0) {
                out.add(text.substring(from));
                break;
            }
            out.add(text.substring(from, end + 1));
            from = end + 1;
        }
        return out;
    }
}
