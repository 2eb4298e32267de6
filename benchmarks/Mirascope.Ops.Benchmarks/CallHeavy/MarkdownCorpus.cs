using System.Text;

namespace Mirascope.Ops.Benchmarks.CallHeavy
{
    /// <summary>
    /// A fixed set of Markdown documents, generated deterministically (a fixed seed and our own xorshift generator, so
    /// the text does not depend on the .NET version): headings, paragraphs with emphasis, code spans, links and
    /// autolinks, entities, nested and task lists, block quotes, fenced code, tables and footnotes, which is what the
    /// advanced pipeline parses.
    /// </summary>
    internal static class MarkdownCorpus
    {
        private static readonly string[] Words =
        {
            "span", "trace", "weaver", "method", "argument", "value", "output", "listener", "sample", "record",
            "parser", "inline", "block", "render", "pipeline", "context", "token", "buffer", "writer", "string",
            "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "alpha", "beta", "gamma", "delta", "epsilon",
            "the", "a", "of", "and", "to", "in", "is", "for", "with", "on", "by", "from", "at", "as", "it", "that",
        };

        /// <summary><paramref name="count"/> documents of <paramref name="sections"/> sections each.</summary>
        public static string[] Generate(int count, int sections)
        {
            var documents = new string[count];
            var random = new XorShift(0x5EED_1234u);
            for (var d = 0; d < count; d++)
            {
                documents[d] = Document(random, d, sections);
            }

            return documents;
        }

        private static string Document(XorShift random, int index, int sections)
        {
            var text = new StringBuilder();
            text.Append("# Document ").Append(index).Append(": ").Append(Sentence(random, 4, inline: false)).Append("\n\n");
            var footnotes = 0;
            for (var s = 0; s < sections; s++)
            {
                text.Append("## ").Append(Sentence(random, 3, inline: false)).Append("\n\n");
                switch (random.Next(6))
                {
                    case 0:
                        text.Append("- ").Append(Sentence(random, 8, inline: true)).Append('\n');
                        text.Append("- ").Append(Sentence(random, 6, inline: true)).Append('\n');
                        text.Append("  1. ").Append(Sentence(random, 5, inline: true)).Append('\n');
                        text.Append("  2. ").Append(Sentence(random, 7, inline: true)).Append('\n');
                        text.Append("- [x] ").Append(Sentence(random, 4, inline: false)).Append('\n');
                        text.Append("- [ ] ").Append(Sentence(random, 4, inline: false)).Append("\n\n");
                        break;
                    case 1:
                        text.Append("> ").Append(Sentence(random, 12, inline: true)).Append('\n');
                        text.Append("> ").Append(Sentence(random, 9, inline: true)).Append("\n\n");
                        break;
                    case 2:
                        text.Append("```csharp\n");
                        text.Append("public int ").Append(Word(random)).Append("(int x) => x * ").Append(random.Next(100)).Append(";\n");
                        text.Append("var ").Append(Word(random)).Append(" = \"").Append(Sentence(random, 3, inline: false)).Append("\";\n");
                        text.Append("```\n\n");
                        break;
                    case 3:
                        text.Append("| name | count | note |\n|:---|---:|---|\n");
                        for (var r = 0; r < 3; r++)
                        {
                            text.Append("| `").Append(Word(random)).Append("` | ").Append(random.Next(10_000)).Append(" | ")
                                .Append(Sentence(random, 4, inline: true)).Append(" |\n");
                        }

                        text.Append('\n');
                        break;
                    case 4:
                        footnotes++;
                        text.Append(Sentence(random, 10, inline: true)).Append("[^n").Append(footnotes).Append("] ")
                            .Append(Sentence(random, 8, inline: true)).Append("\n\n");
                        text.Append("[^n").Append(footnotes).Append("]: ").Append(Sentence(random, 6, inline: false)).Append("\n\n");
                        break;
                    default:
                        break;
                }

                text.Append(Sentence(random, 14, inline: true)).Append(' ').Append(Sentence(random, 11, inline: true)).Append("  \n")
                    .Append(Sentence(random, 9, inline: true)).Append("\n\n");
            }

            return text.ToString();
        }

        private static string Sentence(XorShift random, int words, bool inline)
        {
            var text = new StringBuilder();
            for (var w = 0; w < words; w++)
            {
                if (w > 0)
                {
                    text.Append(' ');
                }

                var word = Word(random);
                switch (inline ? random.Next(14) : 99)
                {
                    case 0: text.Append('*').Append(word).Append('*'); break;
                    case 1: text.Append("**").Append(word).Append("**"); break;
                    case 2: text.Append('`').Append(word).Append("()`"); break;
                    case 3: text.Append('[').Append(word).Append("](https://example.com/").Append(word).Append(')'); break;
                    case 4: text.Append("<https://example.org/").Append(word).Append('>'); break;
                    case 5: text.Append(word).Append(" &amp;"); break;
                    case 6: text.Append("~~").Append(word).Append("~~"); break;
                    default: text.Append(word); break;
                }
            }

            return text.Append('.').ToString();
        }

        private static string Word(XorShift random) => Words[random.Next(Words.Length)];

        private sealed class XorShift
        {
            private uint _state;

            public XorShift(uint seed) => _state = seed;

            public int Next(int bound)
            {
                _state ^= _state << 13;
                _state ^= _state >> 17;
                _state ^= _state << 5;
                return (int)(_state % (uint)bound);
            }
        }
    }
}
