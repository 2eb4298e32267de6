// Compiled by RealCode.Driver.csproj only (it defines REALCODE_DRIVER); in the test project this file is empty.
#if REALCODE_DRIVER
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace RealCode.Driver
{
    /// <summary>
    /// Scriban: templates (Scriban and Liquid syntax) parsed into its syntax tree (nodes with parent links, ToString
    /// overrides that print script back), printed back to text, rendered against script objects and this program's
    /// own .NET objects through a TemplateContext (passed to nearly every method) with includes from a loader,
    /// functions, pipes, loops, captures, and errors at parse time and at run time.
    /// </summary>
    internal static class ScribanCases
    {
        private static readonly (string Name, string Text)[] Templates =
        {
            ("text only", "no code here\n"),
            ("expressions", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 10 / 4 }} {{ 10 // 4 }} {{ 'a' + 'b' }} {{ 1 < 2 && !(3 == 4) }} {{ null ?? 'fallback' }} {{ 7 % 3 }}\n"),
            ("variables and pipes", "{{ x = 'hello world' }}{{ x | string.upcase | string.replace 'WORLD' 'there' }} {{ x | string.split ' ' | array.reverse | array.join ',' }} {{ [3, 1, 2] | array.sort | array.join '-' }} {{ 'abc' | string.size }}\n"),
            ("loops", "{{ for i in 1..5 }}{{ if i == 2; continue; end }}{{ if i == 5; break; end }}{{ i }}{{ if !for.last }},{{ end }}{{ end }}\n{{ for p in products limit:2 offset:1 }}[{{ for.index }}:{{ p.name }}]{{ end }}\n{{ j = 0 }}{{ while j < 3 }}{{ j }}{{ j = j + 1 }}{{ end }}\n{{ tablerow c in [1, 2, 3] cols:2 }}{{ c }}{{ end }}\n"),
            ("functions and captures", "{{ func twice; ret $0 * 2; end }}{{ twice 21 }} {{ func greet(name, punct = '!'); ret 'hi ' + name + punct; end }}{{ greet 'bob' }}\n{{ capture block }}captured {{ 1 + 1 }}{{ end }}[{{ block | string.strip }}]\n{{ fn = @twice }}{{ fn 5 }} {{ [1, 2, 3] | array.each @twice | array.join ' ' }}\n"),
            ("objects and case", "{{ o = { a: 1, b: { c: [1, 2, { d: 'deep' }] } } }}{{ o.b.c[2].d }} {{ o | object.keys | array.join ',' }} {{ o.missing ?? 'none' }}\n{{ case o.a }}{{ when 1 }}one{{ when 2 }}two{{ else }}other{{ end }}\n{{ with o.b }}{{ c.size }}{{ end }}\n"),
            ("model: .NET objects", "{{ customer.name }} has {{ customer.orders.size }} orders: {{ for o in customer.orders }}{{ o.id }}={{ o.total | math.format '0.00' }}({{ o.lines | array.size }}) {{ end }}\nfirst line: {{ customer.orders[0].lines[0].sku }}; tags: {{ customer.tags | array.join '|' }}; vip: {{ customer.is_vip }}; visit {{ customer.visits }}, then {{ customer.visits }}\n"),
            ("strings and dates", "{{ 'Hello' | string.pad_left 8 }}|{{ 'x' | string.pad_right 3 }}| {{ 'a-b-c' | string.split '-' | array.size }} {{ 'ab' | string.contains 'b' }} {{ 'Title Case' | string.downcase }} {{ 'html <b>' | html.escape }} {{ 3.14159 | math.round 2 }} {{ date.parse '2020-02-29' | date.add_days 1 | date.to_string '%Y-%m-%d' }} {{ 'aaa' | regex.replace 'a+' 'b' }}\n"),
            ("include", "{{ include 'header' title: 'Page' }}body{{ include 'footer' }}\n"),
            ("whitespace control", "a   {{~ 'b' ~}}   c\n  {{- 'd' -}}  \ne\n"),
            ("raw and comments", "{{ # a comment }}{%{ {{ not code }} }%}{{ ## multi\nline ## }}end\n"),
            ("parse error", "{{ for x in }}{{ end\n{{ 1 + }}\n"),
            ("runtime error: unknown function", "{{ nowhere.to_be_found 1 }}\n"),
            ("runtime error: loop limit", "{{ for i in 1..100000 }}{{ end }}\n"),
            ("runtime error: recursion", "{{ func f; ret f; end }}{{ f }}\n"),
        };

        private static readonly (string Name, string Text)[] Liquid =
        {
            ("liquid: basics", "{% assign x = 'liquid' %}{{ x | upcase }} {% for i in (1..3) %}{{ i }}{% unless forloop.last %},{% endunless %}{% endfor %} {% if x contains 'qu' %}yes{% else %}no{% endif %}\n"),
            ("liquid: filters and case", "{{ 'a,b,c' | split: ',' | reverse | join: '/' }} {{ 4.5 | ceil }} {% case 2 %}{% when 1 %}one{% when 2 %}two{% endcase %} {% capture c %}cap{% endcapture %}{{ c | append: '!' }} {{ products | size }}\n"),
        };

        public static IEnumerable<(string, Func<string>)> All()
        {
            foreach (var (name, text) in Templates)
            {
                yield return ($"{name}: parse", () => Parse(Template.Parse(text, name)));
                yield return ($"{name}: print back", () => PrintBack(text, name));
                yield return ($"{name}: render", () => Render(Template.Parse(text, name)));
            }

            foreach (var (name, text) in Liquid)
            {
                yield return ($"{name}: parse", () => Parse(Template.ParseLiquid(text, name)));
                yield return ($"{name}: render", () => Render(Template.ParseLiquid(text, name), liquid: true));
            }

            yield return ("model: async render", () =>
            {
                var template = Template.Parse(Templates.First(t => t.Name == "model: .NET objects").Text);
                return Task.Run(() => template.RenderAsync(NewContext(liquid: false)).AsTask()).GetAwaiter().GetResult();
            });
            yield return ("evaluate expression", () => Convert.ToString(Template.Evaluate("[1, 2, 3] | array.each @(do; ret $0 + 1; end) | array.join ','", new ScriptObject()), System.Globalization.CultureInfo.InvariantCulture) ?? "null");
        }

        private static string Parse(Template template)
        {
            var text = new StringBuilder();
            text.Append("errors=").Append(template.HasErrors).Append('\n');
            foreach (var message in template.Messages)
            {
                text.Append(message).Append('\n');
            }

            if (template.Page is not null)
            {
                Dump(text, template.Page, 0);
            }

            return text.ToString();
        }

        private static void Dump(StringBuilder text, ScriptNode node, int depth)
        {
            if (depth > 60)
            {
                text.Append(' ', depth).Append("...\n");
                return;
            }

            var parents = 0;
            for (var parent = node.Parent; parent is not null; parent = parent.Parent)
            {
                parents++;
            }

            // Some nodes' ToString throws (ScriptList<T>: NotImplementedException); that is part of what is compared.
            string printed;
            try
            {
                printed = node.ToString() ?? "";
            }
            catch (Exception ex)
            {
                printed = "ToString threw " + ex.GetType().Name;
            }

            text.Append(' ', depth).Append(node.GetType().Name).Append(' ').Append(node.Span.Start.Line).Append(':').Append(node.Span.Start.Column)
                .Append(" parents=").Append(parents).Append(" \"").Append(printed.Length > 80 ? printed.Substring(0, 80) + "..." : printed).Append("\"\n");
            for (var i = 0; i < node.ChildrenCount; i++)
            {
                var child = node.GetChildren(i);
                if (child is not null)
                {
                    Dump(text, child, depth + 1);
                }
            }
        }

        private static string PrintBack(string source, string name)
        {
            var template = Template.Parse(source, name, lexerOptions: new LexerOptions { KeepTrivia = true });
            if (template.HasErrors)
            {
                return "errors: " + string.Join("; ", template.Messages);
            }

            var printed = template.ToText();
            return (printed == source ? "identical" : "DIFFERENT") + "\n" + printed + "\n---\n" + Template.Parse(source, name).ToText(new ScriptPrinterOptions { Mode = ScriptMode.Default });
        }

        private static string Render(Template template, bool liquid = false)
        {
            if (template.HasErrors)
            {
                return "not rendered: " + string.Join("; ", template.Messages);
            }

            try
            {
                return template.Render(NewContext(liquid));
            }
            catch (ScriptRuntimeException ex)
            {
                return "runtime error: " + ex.Message;
            }
        }

        private static TemplateContext NewContext(bool liquid)
        {
            var globals = new ScriptObject();
            globals.Import(new
            {
                products = new[] { new { name = "apple", price = 1.5 }, new { name = "pear", price = 2.25 }, new { name = "fig", price = 10.0 } },
            });
            globals.SetValue("customer", new Customer(), readOnly: true);
            var context = liquid ? new LiquidTemplateContext() : new TemplateContext();
            context.LoopLimit = 1000;
            context.RecursiveLimit = 50;
            context.TemplateLoader = new Loader();
            context.PushGlobal(globals);
            return context;
        }

        private sealed class Loader : ITemplateLoader
        {
            public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) => "/templates/" + templateName;

            public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => templatePath switch
            {
                "/templates/header" => "<h1>{{ title ?? 'untitled' }}</h1>\n",
                "/templates/footer" => "<footer>{{ products.size }} products</footer>",
                _ => throw new InvalidOperationException("no template " + templatePath),
            };

            public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) => new ValueTask<string?>(Load(context, callerSpan, templatePath));
        }

        public sealed class Customer
        {
            private int _visits;

            public string Name { get; } = "Ada";
            public bool IsVip => Orders.Sum(o => o.Total) > 100;
            public List<Order> Orders { get; } = new List<Order>
            {
                new Order(1, new[] { new Line("A-1", 2, 10m), new Line("B-2", 1, 99.5m) }),
                new Order(2, new[] { new Line("C-3", 3, 1.25m) }),
            };
            public string[] Tags { get; } = { "early", "beta" };

            /// <summary>Each read counts as a visit: reading it is an action of the program.</summary>
            public int Visits => ++_visits;
        }

        public sealed class Order
        {
            public Order(int id, Line[] lines) { Id = id; Lines = lines; }
            public int Id { get; }
            public Line[] Lines { get; }
            public decimal Total => Lines.Sum(l => l.Quantity * l.Price);
        }

        public sealed class Line
        {
            public Line(string sku, int quantity, decimal price) { Sku = sku; Quantity = quantity; Price = price; }
            public string Sku { get; }
            public int Quantity { get; }
            public decimal Price { get; }
        }
    }
}
#endif
