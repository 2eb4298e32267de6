// Compiled by RealCode.Driver.csproj only (it defines REALCODE_DRIVER); in the test project this file is empty.
#if REALCODE_DRIVER
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RealCode.Driver
{
    /// <summary>
    /// YamlDotNet: YAML with anchors, aliases, merge keys, tags, block and flow styles, complex keys, several
    /// documents and a few errors, read as parser events (their ToString overrides), loaded into the representation
    /// model (a graph of nodes whose aliases are shared objects) and saved back, deserialized into this program's
    /// classes and into plain dictionaries, and serialized back to YAML and to JSON.
    /// </summary>
    internal static class YamlCases
    {
        private const string Invoice = @"--- !<tag:clarkevans.com,2002:invoice>
invoice: 34843
date   : 2001-01-23
bill-to: &id001
    given  : Chris
    family : Dumars
    address:
        lines: |
            458 Walkman Dr.
            Suite #292
        city    : Royal Oak
        state   : MI
        postal  : 48046
ship-to: *id001
product:
    - sku         : BL394D
      quantity    : 4
      description : Basketball
      price       : 450.00
    - sku         : BL4438H
      quantity    : 1
      description : Super Hoop
      price       : 2392.00
tax  : 251.42
total: 4443.52
comments: >
    Late afternoon is best.
    Backup contact is Nancy
    Billsmer @ 338-4338.
";

        private static readonly (string Name, string Text)[] Documents =
        {
            ("invoice", Invoice),
            ("merge keys", "base: &base\n  name: base\n  size: 1\nderived:\n  <<: *base\n  size: 2\nmulti:\n  <<: [*base, {extra: true}]\n"),
            ("scalars", "plain: text\nsingle: 'it''s'\ndouble: \"tab\\there \\u263A\"\nliteral: |+\n  keep\n\n\nfolded: >-\n  folded\n  lines\n\n  para\nnull1: ~\nnull2:\nbool: yes\nint: 0x1F\nfloat: .inf\nstr: !!str 123\ncustom: !thing {a: 1}\n"),
            ("flow and complex keys", "{a: [1, 2, {b: c}], 'd e': [], ? f : g}\n---\n? [x, y]\n: complex\n? |\n  block key\n: v\n...\n--- &doc\n- &s shared\n- *s\n- [*s, *s]\n"),
            ("comments and documents", "# leading\nkey: value # trailing\n---\n- one\n# between\n- two\n--- >\n  folded document\n...\n"),
            ("error: bad indentation", "a:\n  b: 1\n c: 2\n"),
            ("error: undefined alias", "a: *nowhere\n"),
            ("error: unclosed flow", "[1, 2, {a: b\n"),
        };

        public static IEnumerable<(string, Func<string>)> All()
        {
            foreach (var (name, text) in Documents)
            {
                yield return ($"{name}: events", () => Events(text));
                yield return ($"{name}: representation model", () => Model(text));
                yield return ($"{name}: to object, to json", () => ToJson(text));
            }

            yield return ("invoice: typed round trip", () =>
            {
                var deserializer = new DeserializerBuilder().WithNamingConvention(HyphenatedNamingConvention.Instance).WithTagMapping("tag:clarkevans.com,2002:invoice", typeof(InvoiceDocument)).Build();
                var invoice = deserializer.Deserialize<InvoiceDocument>(Invoice);
                var shared = ReferenceEquals(invoice.BillTo, invoice.ShipTo) ? "alias shared\n" : "alias copied\n";
                var serializer = new SerializerBuilder().WithNamingConvention(HyphenatedNamingConvention.Instance).Build();
                var yaml = serializer.Serialize(invoice);
                var again = deserializer.Deserialize<InvoiceDocument>(yaml);
                return shared + yaml + "---\n" + serializer.Serialize(again) + "---\n" + new SerializerBuilder().JsonCompatible().Build().Serialize(invoice);
            });
            yield return ("graph: serialize a shared object graph", () =>
            {
                var leaf = new Node { Name = "leaf" };
                var root = new Node { Name = "root", Children = { new Node { Name = "a", Children = { leaf } }, new Node { Name = "b", Children = { leaf } } } };
                return new SerializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build().Serialize(root);
            });
            yield return ("typed: getters that do something on each read", () =>
            {
                // A sequence number and a read counter: reading such a property is an action of the program.
                var tickets = new TicketBook();
                var serializer = new SerializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
                var yaml = serializer.Serialize(tickets);
                return yaml + "---\nnext ticket after serializing: " + tickets.NextTicket + ", reads of the log: " + tickets.LogReads + "\n";
            });
            yield return ("graph: a cycle, written with an anchor and an alias", () =>
            {
                var loop = new Node { Name = "loop" };
                loop.Children.Add(loop);
                return new SerializerBuilder().WithMaximumRecursion(20).Build().Serialize(loop);
            });
            yield return ("emitter: events by hand", () =>
            {
                var writer = new StringWriter();
                var emitter = new Emitter(writer);
                emitter.Emit(new StreamStart());
                emitter.Emit(new DocumentStart());
                emitter.Emit(new MappingStart(null, null, false, MappingStyle.Block));
                emitter.Emit(new Scalar("multi"));
                emitter.Emit(new Scalar(null, null, "line one\nline two", ScalarStyle.Literal, true, false));
                emitter.Emit(new Scalar("flow"));
                emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Flow));
                emitter.Emit(new Scalar("x"));
                emitter.Emit(new Scalar(null, null, "needs: quoting", ScalarStyle.DoubleQuoted, false, true));
                emitter.Emit(new SequenceEnd());
                emitter.Emit(new MappingEnd());
                emitter.Emit(new DocumentEnd(true));
                emitter.Emit(new StreamEnd());
                return writer.ToString();
            });
        }

        private static string Events(string text)
        {
            var result = new StringBuilder();
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                result.Append(current.Start.Line).Append(':').Append(current.Start.Column).Append(' ').Append(current).Append('\n');
            }

            return result.ToString();
        }

        private static string Model(string text)
        {
            var stream = new YamlStream();
            stream.Load(new MergingParser(new Parser(new StringReader(text))));
            var result = new StringBuilder();
            foreach (var document in stream.Documents)
            {
                DumpNode(result, document.RootNode, 0, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
            }

            var writer = new StringWriter();
            stream.Save(writer, assignAnchors: false);
            return result.Append("--- saved\n").Append(writer).ToString();
        }

        private static void DumpNode(StringBuilder result, YamlNode node, int depth, HashSet<YamlNode> seen)
        {
            result.Append(' ', depth * 2).Append(node.NodeType).Append(" tag=").Append(node.Tag.IsEmpty ? "" : node.Tag.Value)
                .Append(" anchor=").Append(node.Anchor.IsEmpty ? "" : node.Anchor.Value).Append(" at ").Append(node.Start.Line).Append(':').Append(node.Start.Column);
            if (!seen.Add(node))
            {
                result.Append(" (seen)\n");
                return;
            }

            switch (node)
            {
                case YamlScalarNode scalar:
                    result.Append(' ').Append(scalar.Style).Append(" \"").Append(scalar.Value).Append("\"\n");
                    break;
                case YamlSequenceNode sequence:
                    result.Append(' ').Append(sequence.Style).Append('\n');
                    foreach (var child in sequence.Children)
                    {
                        DumpNode(result, child, depth + 1, seen);
                    }

                    break;
                case YamlMappingNode mapping:
                    result.Append(' ').Append(mapping.Style).Append('\n');
                    foreach (var pair in mapping.Children)
                    {
                        DumpNode(result, pair.Key, depth + 1, seen);
                        DumpNode(result, pair.Value, depth + 2, seen);
                    }

                    break;
                default:
                    result.Append('\n');
                    break;
            }
        }

        private static string ToJson(string text)
        {
            var deserializer = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization()
                .WithTagMapping("tag:clarkevans.com,2002:invoice", typeof(Dictionary<object, object>)).WithTagMapping("!thing", typeof(Dictionary<object, object>)).Build();
            var json = new SerializerBuilder().JsonCompatible().Build();
            var result = new StringBuilder();
            var parser = new MergingParser(new Parser(new StringReader(text)));
            parser.Consume<StreamStart>();
            while (parser.Accept<DocumentStart>(out _))
            {
                var value = deserializer.Deserialize<object>(parser);
                result.Append(json.Serialize(value!)).Append('\n');
            }

            return result.ToString();
        }

        public sealed class InvoiceDocument
        {
            public int Invoice { get; set; }
            public DateTime Date { get; set; }
            public Person? BillTo { get; set; }
            public Person? ShipTo { get; set; }
            public List<Product> Product { get; set; } = new List<Product>();
            public decimal Tax { get; set; }
            public decimal Total { get; set; }
            public string? Comments { get; set; }
        }

        public sealed class Person
        {
            public string? Given { get; set; }
            public string? Family { get; set; }
            public Address? Address { get; set; }
        }

        public sealed class Address
        {
            public string? Lines { get; set; }
            public string? City { get; set; }
            public string? State { get; set; }
            public string? Postal { get; set; }
        }

        public sealed class Product
        {
            public string? Sku { get; set; }
            public int Quantity { get; set; }
            public string? Description { get; set; }
            public decimal Price { get; set; }
        }

        public sealed class TicketBook
        {
            private int _next;
            private readonly List<string> _log = new List<string> { "opened" };

            public string Name { get; } = "counter";

            /// <summary>Each read hands out the next number.</summary>
            public int NextTicket => ++_next;

            /// <summary>Each read is logged, and the log is part of the object.</summary>
            public IReadOnlyList<string> Log
            {
                get
                {
                    LogReads++;
                    _log.Add("read " + LogReads);
                    return _log.ToArray();
                }
            }

            [YamlDotNet.Serialization.YamlIgnore]
            public int LogReads { get; private set; }
        }

        public sealed class Node
        {
            public string? Name { get; set; }
            public List<Node> Children { get; } = new List<Node>();
        }
    }
}
#endif
