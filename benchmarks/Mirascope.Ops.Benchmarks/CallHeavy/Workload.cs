using System;
using System.Linq;

namespace Mirascope.Ops.Benchmarks.CallHeavy
{
    /// <summary>
    /// What every row of <see cref="CallHeavyBenchmarks"/> shares, made once per process: Markdig woven and loaded, a
    /// renderer for each copy, the documents and the original's HTML of each.
    /// </summary>
    internal sealed class Workload
    {
        /// <summary>The measured workload: 6 documents of 7 sections, about 25 KB of Markdown (~1 ms untraced).</summary>
        public static readonly (int Documents, int Sections) Measured = (6, 7);

        /// <summary>The smoke run's (<c>--smoke</c>): 2 documents of 3 sections, about 4 KB, so CI's run takes seconds.</summary>
        public static readonly (int Documents, int Sections) SmokeSize = (2, 3);

        public static readonly Lazy<Workload> Instance = new Lazy<Workload>(() => new Workload(BenchConfig.Smoke ? SmokeSize : Measured));

        private readonly string[] _expected;

        public Workload((int Documents, int Sections) size)
        {
            Library = WovenLibrary.Weave(typeof(Markdig.Markdown).Assembly);
            Original = new MarkdigRenderer(Library.Original);
            Woven = new MarkdigRenderer(Library.Woven);
            Documents = MarkdownCorpus.Generate(size.Documents, size.Sections);
            _expected = Documents.Select(Original.ToHtml).ToArray();
            Console.WriteLine(
                $"[call-heavy] {Library.Original.GetName().Name} {Library.Original.GetName().Version} woven{(Library.Reused ? " (reused)" : "")} to {Library.WovenPath}: "
                + Library.WeavingReport.Replace(Environment.NewLine, " | "));
            Console.WriteLine(
                $"[call-heavy] {Documents.Length} documents, {Documents.Sum(d => d.Length):N0} chars of Markdown -> {_expected.Sum(h => h.Length):N0} chars of HTML");
        }

        public WovenLibrary Library { get; }

        public MarkdigRenderer Original { get; }

        public MarkdigRenderer Woven { get; }

        public string[] Documents { get; }

        /// <summary>Renders every document with <paramref name="renderer"/> and fails unless each is the original's HTML.</summary>
        public void CheckHtml(MarkdigRenderer renderer, string what)
        {
            for (var d = 0; d < Documents.Length; d++)
            {
                var html = renderer.ToHtml(Documents[d]);
                if (html != _expected[d])
                {
                    var at = Enumerable.Range(0, Math.Min(html.Length, _expected[d].Length)).FirstOrDefault(i => html[i] != _expected[d][i]);
                    throw new InvalidOperationException(
                        $"{what}: document {d} renders differently from the original Markdig (first difference at char {at}: "
                        + $"'{Excerpt(html, at)}' instead of '{Excerpt(_expected[d], at)}')");
                }
            }
        }

        private static string Excerpt(string text, int at) => text.Substring(at, Math.Min(40, text.Length - at));
    }
}
