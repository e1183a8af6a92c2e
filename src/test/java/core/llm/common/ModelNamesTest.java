package core.llm.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelNamesTest {

  @ParameterizedTest(name = "normalize({0}) = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "llama3.2                                  | llama3.2:latest",
        "'  llama3.2:1b  '                         | llama3.2:1b",
        "qwen3:8b                                  | qwen3:8b",
        "library/llama3.2                          | library/llama3.2:latest",
        "registry.ollama.ai/library/llama3.2:latest| registry.ollama.ai/library/llama3.2:latest",
        "localhost:5000/ns/model                   | localhost:5000/ns/model:latest",
        "localhost:5000/ns/model:v2                | localhost:5000/ns/model:v2",
        "llama3.2@sha256:ABC                       | llama3.2:latest@sha256:ABC",
        "Llama3.2:Q4                               | Llama3.2:Q4",
        "gpt-4o                                    | gpt-4o:latest",
        "Qwen/Qwen2.5-7B-Instruct                  | Qwen/Qwen2.5-7B-Instruct:latest",
        "model:                                    | model:latest",
      })
  void normalize(String in, String out) {
    assertEquals(out, ModelNames.normalize(in));
  }

  @ParameterizedTest(name = "canonical({0}) = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "llama3.2                                  | llama3.2:latest",
        "LLaMA3.2:LATEST                           | llama3.2:latest",
        "library/llama3.2                          | llama3.2:latest",
        "registry.ollama.ai/library/llama3.2:latest| llama3.2:latest",
        "registry.ollama.ai/jmorgan/model          | jmorgan/model:latest",
        "other.host/library/llama3.2               | other.host/library/llama3.2:latest",
        "llama3.2@sha256:ABC                       | llama3.2:latest@sha256:abc",
        "claude-sonnet-4-5                         | claude-sonnet-4-5:latest",
      })
  void canonical(String in, String out) {
    assertEquals(out, ModelNames.canonical(in));
  }

  @ParameterizedTest(name = "sameModel({0}, {1}) = {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "llama3.2                 | llama3.2:latest                            | true",
        "llama3.2                 | registry.ollama.ai/library/llama3.2:latest | true",
        "library/llama3.2         | LLAMA3.2                                   | true",
        "' llama3.2 '             | llama3.2                                   | true",
        "llama3.2                 | llama3.2:1b                                | false",
        "llama3.2:1b              | llama3.2:3b                                | false",
        "gpt-4o                   | gpt-4o:latest                              | true",
        "gpt-4o                   | gpt-4o-mini                                | false",
        "claude-sonnet-4-5        | claude-sonnet-4-5                          | true",
        "Qwen/Qwen2.5-7B-Instruct | qwen/qwen2.5-7b-instruct                   | true",
        "org/model                | model                                      | false",
        "ft:gpt-4o-mini:org:x:id  | ft:gpt-4o-mini:org:x:id                    | true",
        "x@sha256:aa              | x@sha256:bb                                | false",
      })
  void sameModel(String a, String b, boolean same) {
    assertEquals(same, ModelNames.sameModel(a, b));
    assertEquals(same, ModelNames.sameModel(b, a));
  }

  @ParameterizedTest
  @CsvSource({"llama3.2,latest,false", "llama3.2:1b,1b,true", "host:1/m,latest,false"})
  void tags(String name, String tag, boolean explicit) {
    assertEquals(tag, ModelNames.tag(name));
    assertEquals(explicit, ModelNames.hasExplicitTag(name));
  }
}
