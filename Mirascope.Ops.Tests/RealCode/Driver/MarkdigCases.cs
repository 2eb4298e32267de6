// Compiled by RealCode.Driver.csproj only (it defines REALCODE_DRIVER); in the test project this file is empty.
#if REALCODE_DRIVER
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Markdig;
using Markdig.Renderers.Html;
using Markdig.Renderers.Roundtrip;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace RealCode.Driver
{
    /// <summary>
    /// Markdig: a fixed set of documents, tricky ones included, rendered to HTML by three pipelines (CommonMark, the
    /// advanced extensions, precise source locations with trivia), to plain text, round-tripped, and their syntax
    /// trees dumped (blocks and inlines with parent links, spans, lines and columns, link URLs, literals).
    /// </summary>
    internal static class MarkdigCases
    {
        private static readonly (string Name, string Text)[] Documents =
        {
            ("empty", ""),
            ("whitespace", "  \n\t\n   \n"),
            ("headings", "# One\n\nTwo\n===\n\nThree\n---\n\n#### Four ####\n\n####### not a heading\n\n#\tTab heading\n"),
            ("emphasis", "*a* _b_ **c** __d__ ***e*** *a **b** c* **a *b* c** foo_bar_baz __init__ *unclosed _mixed* ok_ ***\n"),
            ("lists", "1. one\n2. two\n   - nested *a*\n   - nested b\n\n     continued\n3. three\n\n7) seven\n8) eight\n\n- a\n+ b\n* c\n\n- [ ] todo\n- [x] done\n\n1. lazy\ncontinuation\n"),
            ("quotes", "> quote\nlazy line\n> > nested\n> > - list in quote\n>\n> back\n\n>>> three deep\n"),
            ("links", "[inline](http://a.example/p?q=1 \"Title\") [ref][r1] [collapsed][] [shortcut] ![img *alt*](/i.png 'T')\n<http://auto.example> <me@mail.example> [paren](http://x.example/(a)b) [angle](<a b>)\n\\[not a link\\] &amp; &copy; &#35; &#x22; &nbsp;x\n\n[r1]: http://r1.example \"R1\"\n[collapsed]: /c\n[shortcut]: /s (S)\n"),
            ("code", "Inline `code` and ``a ` b`` and ` `` `.\n\n```csharp title=\"x\"\nvar x = 1 < 2;\n```\n\n~~~\ntilde\n~~~\n\n    indented\n    code\n\n<div class=\"raw\">\n*not emphasis*\n</div>\n\n<!-- comment -->\ntext <span>inline html</span>\n"),
            ("extensions", "---\ntitle: front matter\n---\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n| `x|y` | **z** |\n\n+---+---+\n| g | h |\n+===+===+\n| i | j |\n+---+---+\n\nFootnote[^1] and another[^n].\n\n[^1]: The note.\n[^n]: Multi\n    paragraph.\n\nTerm\n:   Definition\n\n*[HTML]: Hyper Text Markup Language\nHTML is an abbreviation.\n\n:::warning\ncustom *container*\n:::\n\n^^^\n![fig](f.png)\n^^^ caption\n\nMath $x^2$ and\n\n$$\n\\int_0^1 x\\,dx\n$$\n\n# Heading {#custom-id .cls}\n\n\"Smart\" -- quotes... and :smile: :-)\n\n> [!NOTE]\n> An alert.\n\nwww.bare-link.example and https://bare.example/path.\n\n~~strike~~ ~sub~ ^sup^ ++ins++ ==mark==\n"),
            ("pathological", string.Concat(Enumerable.Repeat("> ", 40)) + "deep\n\n" + new string('[', 60) + "x" + new string(']', 60) + "\n\n" + string.Concat(Enumerable.Repeat("*a _b ", 40)) + "\n\n" + string.Concat(Enumerable.Repeat("- ", 30)) + "item\n"),
            ("unicode-crlf", "Ünïcödé ✓ 日本語 \U0001F600\r\n\r\n* crlf item\r\n* second\r\n\r\nText with\ttab and trailing  \r\nhard break and \\\r\nbackslash break\r\n"),
        };

        public static IEnumerable<(string, Func<string>)> All()
        {
            var commonMark = new MarkdownPipelineBuilder().Build();
            var advanced = new MarkdownPipelineBuilder().UseAdvancedExtensions().UseEmojiAndSmiley().UseSmartyPants().UseYamlFrontMatter().Build();
            var precise = new MarkdownPipelineBuilder().UsePreciseSourceLocation().EnableTrackTrivia().Build();
            foreach (var (name, text) in Documents)
            {
                yield return ($"{name}: html commonmark", () => Markdown.ToHtml(text, commonMark));
                yield return ($"{name}: html advanced", () => Markdown.ToHtml(text, advanced));
                yield return ($"{name}: plain text", () => Markdown.ToPlainText(text, advanced));
                yield return ($"{name}: roundtrip", () => Roundtrip(text, precise));
                yield return ($"{name}: syntax tree", () => Dump(Markdown.Parse(text, precise)));
                yield return ($"{name}: advanced tree, then html", () =>
                {
                    var document = Markdown.Parse(text, advanced);
                    return Dump(document) + Markdown.ToHtml(document, advanced);
                });
            }
        }

        private static string Roundtrip(string text, MarkdownPipeline pipeline)
        {
            var document = Markdown.Parse(text, pipeline);
            var writer = new StringWriter();
            var renderer = new RoundtripRenderer(writer);
            pipeline.Setup(renderer);
            renderer.Render(document);
            var back = writer.ToString();
            return (back == text ? "identical" : "DIFFERENT") + "\n" + back;
        }

        private static string Dump(MarkdownDocument document)
        {
            var text = new StringBuilder();
            foreach (var node in document.Descendants())
            {
                var depth = 0;
                for (var parent = Parent(node); parent is not null; parent = Parent(parent))
                {
                    depth++;
                }

                text.Append(' ', depth * 2).Append(node.GetType().Name)
                    .Append(" [").Append(node.Span.Start).Append("..").Append(node.Span.End).Append("] ")
                    .Append(node.Line).Append(':').Append(node.Column);
                switch (node)
                {
                    case LiteralInline literal: text.Append(" \"").Append(literal.Content.ToString()).Append('"'); break;
                    case CodeInline code: text.Append(" `").Append(code.Content).Append('`'); break;
                    case LinkInline link: text.Append(" url=").Append(link.Url).Append(" title=").Append(link.Title).Append(" image=").Append(link.IsImage).Append(" ref=").Append(link.Reference?.Label); break;
                    case AutolinkInline auto: text.Append(" url=").Append(auto.Url); break;
                    case EmphasisInline emphasis: text.Append(' ').Append(emphasis.DelimiterChar, emphasis.DelimiterCount); break;
                    case HtmlEntityInline entity: text.Append(' ').Append(entity.Transcoded.ToString()); break;
                    case HeadingBlock heading: text.Append(" h").Append(heading.Level); break;
                    case FencedCodeBlock fenced: text.Append(" info=").Append(fenced.Info).Append(" lines=").Append(fenced.Lines.Count); break;
                    case CodeBlock code: text.Append(" lines=").Append(code.Lines.Count); break;
                    case ListBlock list: text.Append(" ordered=").Append(list.IsOrdered).Append(" loose=").Append(list.IsLoose).Append(" bullet=").Append(list.BulletType).Append(" start=").Append(list.OrderedStart); break;
                    case LinkReferenceDefinition definition: text.Append(" label=").Append(definition.Label).Append(" url=").Append(definition.Url); break;
                }

                var attributes = node.TryGetAttributes();
                if (attributes is not null)
                {
                    text.Append(" id=").Append(attributes.Id).Append(" classes=").Append(string.Join(",", attributes.Classes ?? new List<string>()));
                }

                text.Append('\n');
            }

            return text.ToString();
        }

        private static MarkdownObject? Parent(MarkdownObject node) => node switch
        {
            Block block => block.Parent,
            Inline inline => (MarkdownObject?)inline.Parent ?? (inline as ContainerInline)?.ParentBlock,
            _ => null,
        };
    }
}
#endif
