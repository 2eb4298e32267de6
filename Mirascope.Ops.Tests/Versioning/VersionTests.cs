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
            return MirascopeOps.VersionOf(type.GetMethod("Recommend")!)!;
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

            var info = MirascopeOps.VersionOf(new Func<string, string>((string genre) => (string)type.GetMethod("Recommend")!.Invoke(recommender, new object[] { genre })!).Method);
            Assert.Null(info);
            var version = MirascopeOps.VersionOf(type.GetMethod("Recommend")!)!;
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

        private const string WithPrompts = @"
using Mirascope.Ops;

namespace Books
{
    public static class Prompts
    {
        public const string System = ""You are a librarian."";
        public const double Temperature = 0.7;
        public const string Unused = ""never read"";
    }

    public class Recommender
    {
        private const string Template = ""Recommend a {0} book."";
        private static readonly string Closing = ""Answer in one line."";

        [Version]
        public string Recommend(string genre) => Prompt(genre) + "" "" + Prompts.System + "" "" + Prompts.Temperature;

        private string Prompt(string genre) => string.Format(Template, genre) + "" "" + Closing;

        public string Unrelated() => Prompts.Unused;
    }
}
";

        [Theory]
        [InlineData("private const string Template = \"Recommend a {0} book.\";", "private const string Template = \"Recommend a {0} novel.\";")]
        [InlineData("private static readonly string Closing = \"Answer in one line.\";", "private static readonly string Closing = \"Answer in two lines.\";")]
        [InlineData("public const string System = \"You are a librarian.\";", "public const string System = \"You are a bookseller.\";")]
        [InlineData("public const double Temperature = 0.7;", "public const double Temperature = 0.2;")]
        public void A_changed_const_or_static_readonly_value_the_code_reads_changes_the_hash_but_not_the_signature_hash(string before, string after)
        {
            Assert.Contains(before, WithPrompts, StringComparison.Ordinal);
            var original = Version(WithPrompts, "Value1");
            var edited = Version(WithPrompts.Replace(before, after, StringComparison.Ordinal), "Value2");

            Assert.NotEqual(original.Hash, edited.Hash);
            Assert.Equal(original.SignatureHash, edited.SignatureHash);
        }

        [Fact]
        public void Layout_edits_of_the_values_and_a_change_of_a_value_nothing_reads_keep_the_hash()
        {
            var edited = WithPrompts
                .Replace("private static readonly string Closing = \"Answer in one line.\";", "private static readonly string Closing =\n            \"Answer in one line.\"; // the closing line")
                .Replace("public const string System = \"You are a librarian.\";", "public const string   System = \"You are a librarian.\";")
                .Replace("public const string Unused = \"never read\";", "public const string Unused = \"still never read\";");

            Assert.Equal(Version(WithPrompts, "Layout1").Hash, Version(edited, "Layout2").Hash);
        }

        [Fact]
        public void The_hash_with_read_values_is_the_same_for_debug_and_release_builds()
        {
            Assert.Equal(Version(WithPrompts, "ValuesDebug").Hash, Version(WithPrompts, "ValuesRelease", optimize: true).Hash);
        }
    }
}
