using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Fody;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Versioning
{
    /// <summary>
    /// [Version]: the build-time hash covers the code and its same-assembly callees; it survives Debug/Release and
    /// layout-only edits and changes with the body, a callee or the signature. Each variant is compiled with Roslyn
    /// from its own source and woven by the real weaver.
    /// </summary>
    public class VersionTests
    {
        private const string Original = @"
using Mirascope.Ops;

namespace Books
{
    public class Recommender
    {
        /// <summary>Recommends books based on <paramref name=""genre""/> genre</summary>
        [Version(Name = ""book_recommender"", Tags = [""production"", ""ml""], Metadata = [""owner=team-ml"", ""ticket=ENG-1234""])]
        public string Recommend(string genre)
        {
            var prompt = Prompt(genre);
            return prompt;
        }

        private string Prompt(string genre) => Format(""Recommend a "" + genre + "" book"");

        private static string Format(string text) => text.Trim();

        public string Unrelated() => ""not part of the closure"";
    }
}
";

        private static (TestResult Result, Type Type) Weave(string source, string name, bool optimize = false)
        {
            var path = SourceCompiler.Compile(source, name, optimize, sourcePath: Path.Combine(Path.GetTempPath(), "mirascope-ops-tests", name + "-" + Guid.NewGuid().ToString("N") + ".cs"));
            var weaver = new ModuleWeaver { DocumentationFilePath = Path.ChangeExtension(path, ".xml") };
            var result = weaver.ExecuteTestRun(path, runPeVerify: false);
            Assert.Empty(result.Errors);
            return (result, result.Assembly.GetType("Books.Recommender")!);
        }

        private static VersionInfo Version(string source, string name, bool optimize = false)
        {
            var (_, type) = Weave(source, name, optimize);
            return Ops.VersionOf(type.GetMethod("Recommend")!)!;
        }

        [Fact]
        public void Versioned_call_records_trace_and_version_attributes()
        {
            var (_, type) = Weave(Original, "Versioned");
            var recommender = Activator.CreateInstance(type)!;
            using var capture = new SpanCapture();

            Assert.Equal("Recommend a fantasy book", type.GetMethod("Recommend")!.Invoke(recommender, new object[] { "fantasy" }));

            var span = capture.Single("book_recommender");
            Assert.Equal("Recommender.Recommend", span.GetTagItem("mirascope.fn.qualname"));
            Assert.Equal("{\"genre\":\"fantasy\"}", span.GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal("Recommend a fantasy book", span.GetTagItem("mirascope.trace.output"));
            Assert.Equal(new[] { "ml", "production" }, (string[])span.GetTagItem("mirascope.trace.tags")!);
            Assert.Equal("{\"owner\":\"team-ml\",\"ticket\":\"ENG-1234\"}", span.GetTagItem("mirascope.trace.metadata"));
            Assert.Matches(new Regex("^[0-9a-f]{64}$"), (string)span.GetTagItem("mirascope.version.hash")!);
            Assert.Matches(new Regex("^[0-9a-f]{64}$"), (string)span.GetTagItem("mirascope.version.signature_hash")!);
            Assert.Equal("1.0", span.GetTagItem("mirascope.version.version"));
            Assert.Equal("book_recommender", span.GetTagItem("mirascope.version.name"));
            Assert.Equal("Recommends books based on genre genre", span.GetTagItem("mirascope.version.description"));
            Assert.Equal(new[] { "ml", "production" }, (string[])span.GetTagItem("mirascope.version.tags")!);
            Assert.Equal("team-ml", span.GetTagItem("mirascope.version.meta.owner"));
            Assert.Equal("ENG-1234", span.GetTagItem("mirascope.version.meta.ticket"));

            var info = Ops.VersionOf(new Func<string, string>((string genre) => (string)type.GetMethod("Recommend")!.Invoke(recommender, new object[] { genre })!).Method);
            Assert.Null(info);
            var version = Ops.VersionOf(type.GetMethod("Recommend")!)!;
            Assert.Equal(span.GetTagItem("mirascope.version.hash"), version.Hash);
            Assert.Equal(span.GetTagItem("mirascope.version.signature_hash"), version.SignatureHash);
            Assert.Equal("book_recommender", version.Name);
            Assert.Equal("1.0", version.Version);
            Assert.Equal("team-ml", version.Metadata["owner"]);
        }

        [Fact]
        public void Hash_is_the_same_for_debug_and_release_builds()
        {
            var debug = Version(Original, "Debug", optimize: false);
            var release = Version(Original, "Release", optimize: true);

            Assert.Equal(debug.Hash, release.Hash);
            Assert.Equal(debug.SignatureHash, release.SignatureHash);
        }

        [Fact]
        public void Whitespace_and_comment_only_edits_keep_the_hash()
        {
            var edited = Original
                .Replace("            var prompt = Prompt(genre);", "            // build the prompt\n            var   prompt =\n                Prompt( genre ); /* trailing */")
                .Replace("private static string Format(string text) => text.Trim();", "private static string Format(string text)\n            => text.Trim(); // same code");

            Assert.Equal(Version(Original, "A").Hash, Version(edited, "B").Hash);
        }

        [Fact]
        public void A_body_change_changes_the_hash_but_not_the_signature_hash()
        {
            var edited = Original.Replace("return prompt;", "return prompt + \"!\";");
            var before = Version(Original, "Before");
            var after = Version(edited, "After");

            Assert.NotEqual(before.Hash, after.Hash);
            Assert.Equal(before.SignatureHash, after.SignatureHash);
        }

        [Fact]
        public void A_change_in_a_transitively_called_method_changes_the_hash()
        {
            var edited = Original.Replace("text.Trim()", "text.TrimEnd()");

            Assert.NotEqual(Version(Original, "Callee1").Hash, Version(edited, "Callee2").Hash);
        }

        [Fact]
        public void A_change_outside_the_closure_keeps_the_hash()
        {
            var edited = Original.Replace("\"not part of the closure\"", "\"still not part of it\"");

            Assert.Equal(Version(Original, "Outside1").Hash, Version(edited, "Outside2").Hash);
        }

        [Fact]
        public void A_signature_change_changes_the_signature_hash()
        {
            var edited = Original.Replace("public string Recommend(string genre)", "public string Recommend(string genre, int count = 1)");

            Assert.NotEqual(Version(Original, "Sig1").SignatureHash, Version(edited, "Sig2").SignatureHash);
        }
    }
}
