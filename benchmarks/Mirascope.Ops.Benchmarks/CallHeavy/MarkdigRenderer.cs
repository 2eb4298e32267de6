using System;
using System.Linq.Expressions;
using System.Reflection;

namespace Mirascope.Ops.Benchmarks.CallHeavy
{
    /// <summary>
    /// <c>Markdown.ToHtml(text, pipeline)</c> of one Markdig assembly (the original or the woven copy) with a pipeline
    /// built by that assembly's <c>new MarkdownPipelineBuilder().UseAdvancedExtensions().Build()</c>. The call is a
    /// compiled expression (the two assemblies' types differ), the same for both, so the rows compare like with like.
    /// </summary>
    internal sealed class MarkdigRenderer
    {
        private readonly Func<string, string> _toHtml;

        public MarkdigRenderer(Assembly markdig)
        {
            var builderType = Type(markdig, "Markdig.MarkdownPipelineBuilder");
            var pipelineType = Type(markdig, "Markdig.MarkdownPipeline");
            var contextType = Type(markdig, "Markdig.MarkdownParserContext");
            var builder = Activator.CreateInstance(builderType)!;
            Method(Type(markdig, "Markdig.MarkdownExtensions"), "UseAdvancedExtensions", builderType).Invoke(null, new[] { builder });
            var pipeline = Method(builderType, "Build").Invoke(builder, null)!;
            var toHtml = Method(Type(markdig, "Markdig.Markdown"), "ToHtml", typeof(string), pipelineType, contextType);
            var text = Expression.Parameter(typeof(string), "markdown");
            _toHtml = Expression.Lambda<Func<string, string>>(
                Expression.Call(toHtml, text, Expression.Constant(pipeline, pipelineType), Expression.Constant(null, contextType)),
                text).Compile();
        }

        public string ToHtml(string markdown) => _toHtml(markdown);

        /// <summary>Every document rendered once; returns the total length of the HTML (so nothing is optimized away).</summary>
        public long RenderAll(string[] documents)
        {
            long total = 0;
            foreach (var document in documents)
            {
                total += _toHtml(document).Length;
            }

            return total;
        }

        private static Type Type(Assembly assembly, string name) =>
            assembly.GetType(name) ?? throw new InvalidOperationException($"{name} is not in {assembly.FullName}; update the benchmark");

        private static MethodInfo Method(Type type, string name, params Type[] parameters) =>
            type.GetMethod(name, BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance, parameters)
            ?? throw new InvalidOperationException($"{type.FullName}.{name} is gone; update the benchmark");
    }
}
