using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Security
{
    /// <summary>
    /// No text a client sends is ever part of SQL text: the reported injections through a search filter's attribute key,
    /// and the rule that keeps every query that way (SQL text is set in one place, from <c>SqlText</c> only).
    /// </summary>
    public sealed class SqlInjectionTests
    {
        private const string Window = @"""startTime"":""2000-01-01T00:00:00Z"",""endTime"":""2100-01-01T00:00:00Z""";

        [Fact]
        public async Task An_attribute_filter_key_that_closes_the_string_and_runs_statements_deletes_and_writes_nothing()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await FunctionEndpointTests.CreateAsync(viewer, FunctionEndpointTests.CreateBody("Recommend", "h1", "s1"));
            var pwned = Path.Combine(viewer.Folder, "pwned.db");
            var before = Directory.GetFiles(viewer.Folder).OrderBy(f => f, StringComparer.Ordinal).ToArray();

            foreach (var key in new[]
            {
                "'||'x'||char(34)) IS NOT NULL; DELETE FROM functions; --",   // the request of the report
                $"x') IS NOT NULL; ATTACH DATABASE '{pwned}' AS p; CREATE TABLE p.t(x); --",
                "\u2019) IS NOT NULL; DROP TABLE functions; --",
            })
            {
                foreach (var op in new[] { "exists", "eq", "neq", "contains" })
                {
                    var body = $@"{{{Window},""attributeFilters"":[{{""key"":{JsonSerializer.Serialize(key)},""operator"":""{op}"",""value"":""v""}}]}}";
                    using var response = await FunctionEndpointTests.PostJsonAsync(viewer, "api/v2/traces/search", body);
                    var text = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{op} {key}: {(int)response.StatusCode} {text}");
                    Assert.Equal(0, JsonDocument.Parse(text).RootElement.GetProperty("total").GetInt64());
                }
            }

            var functions = await viewer.GetJsonAsync("api/v2/functions");
            Assert.Equal(1, functions.GetProperty("total").GetInt32());
            Assert.Equal(before, Directory.GetFiles(viewer.Folder).OrderBy(f => f, StringComparer.Ordinal).ToArray());
        }

        [Fact]
        public async Task An_attribute_key_with_a_quote_is_matched_as_the_key_it_is()
        {
            await using var viewer = await RunningViewer.StartAsync();
            await RichSpans.SendAsync(viewer,
                new RichSpan(RichSpans.TraceId("q"), RichSpans.SpanId(1), null, "Quoted", FunctionFiguresTests.Base, 5,
                    new System.Collections.Generic.Dictionary<string, object> { ["it's; --"] = "yes" }));

            var body = $@"{{{Window},""attributeFilters"":[{{""key"":""it's; --"",""operator"":""eq"",""value"":""yes""}}]}}";
            using var response = await FunctionEndpointTests.PostJsonAsync(viewer, "api/v2/traces/search", body);
            var found = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Quoted", Assert.Single(found.GetProperty("spans").EnumerateArray()).GetProperty("name").GetString());
        }

        [Theory]
        [InlineData("$token0", true)]
        [InlineData("$path_12", true)]
        [InlineData("@name", true)]
        [InlineData(":name", false)]
        [InlineData("$x; DROP TABLE spans", false)]
        [InlineData("$a'", false)]
        [InlineData("$", false)]
        [InlineData("token", false)]
        [InlineData("$1a", false)]
        public void A_composed_parameter_name_is_only_ever_a_name(string name, bool accepted)
        {
            if (accepted)
            {
                Assert.Equal(name, Mirascope.Ops.Viewer.Storage.SqlText.Parameter(name).Text);
            }
            else
            {
                Assert.Throws<ArgumentException>(() => Mirascope.Ops.Viewer.Storage.SqlText.Parameter(name));
            }
        }

        [Fact]
        public void Sql_text_is_set_in_one_place_only_from_SqlText()
        {
            var offenders = Directory.EnumerateFiles(SourceFiles.ViewerFolder, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .Where(f => Path.GetFileName(f) is not ("SqlCommands.cs" or "SqlText.cs"))
                .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
                // Setting a command's text, or feeding SqlText's builder by hand (which would let a string in), happens nowhere else.
                .Where(l => Regex.IsMatch(l.Text, @"\.CommandText\s*=|new\s+(Sqlite|Npgsql)Command\s*\(|new\s+NpgsqlBatch(Command)?\s*\(|ExecuteSql|SqlTextBuilder|AppendLiteral\s*\("))
                .Select(l => $"{Path.GetRelativePath(SourceFiles.ViewerFolder, l.File)}:{l.Line}: {l.Text.Trim()}")
                .ToList();

            Assert.True(Directory.Exists(Path.Combine(SourceFiles.ViewerFolder, "Storage")), "the viewer's source is not at " + SourceFiles.ViewerFolder);
            Assert.True(offenders.Count == 0, "SQL text set outside Storage/SqlCommands.cs (or SqlText built by hand):\n" + string.Join("\n", offenders));
        }
    }
}
