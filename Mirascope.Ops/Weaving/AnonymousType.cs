// The rule the weaver and the runtime must agree on, in one file compiled into both like WeavingNames.cs (see there for
// MIRASCOPE_OPS_WEAVER): the weaver's RecordedTypeRoots roots the anonymous types an assembly creates (they reach a
// traced method only as object or a generic T, so no signature names them), and the runtime's ValueShape records a
// value of one by the fields behind its properties and names it "anonymous type" in a placeholder. Written on a type's
// name and whether it carries [CompilerGenerated]: the weaver sees Cecil's types, the runtime System.Reflection's.
using System;

#if MIRASCOPE_OPS_WEAVER
namespace Mirascope.Ops.Fody
#else
namespace Mirascope.Ops.Weaving
#endif
{
    /// <summary>Which types are a compiler's anonymous types, and where each keeps a property's value.</summary>
    /// <remarks>
    /// What the compilers emit (checked against csc, vbc and fsc of the .NET 10 SDK), always in the global namespace and
    /// with <c>[CompilerGenerated]</c>:
    /// <list type="bullet">
    /// <item>C# <c>new { Name = .. }</c>: <c>&lt;&gt;f__AnonymousType0`1</c>, its value in the field <c>&lt;Name&gt;i__Field</c>.</item>
    /// <item>Visual Basic <c>New With { .Name = .. }</c>: <c>VB$AnonymousType_0`1</c>, in the field <c>$Name</c> (a property
    /// without <c>Key</c> has a setter too).</item>
    /// <item>F# anonymous records <c>{| Name = .. |}</c>: <c>&lt;&gt;f__AnonymousType4095251809`1</c> (a hash of the
    /// field names), in the field <c>Name@</c>.</item>
    /// </list>
    /// A prefix, not a substring: a compiler-generated type whose name merely contains the words is not one (the
    /// iterator of a method <c>AnonymousTypeIds()</c> is <c>&lt;AnonymousTypeIds&gt;d__0</c>). And <c>[CompilerGenerated]</c>
    /// too, as each compiler marks them, so that a name alone (which IL can give any type) does not make one.
    /// </remarks>
    internal static class AnonymousType
    {
        /// <summary>The attribute every anonymous type carries, by full name (the weaver cannot load the type).</summary>
        public const string CompilerGeneratedAttribute = "System.Runtime.CompilerServices.CompilerGeneratedAttribute";

        /// <summary>C# (Roslyn) and F# anonymous records.</summary>
        private const string CSharpAndFSharpPrefix = "<>f__AnonymousType";

        /// <summary>Visual Basic (Roslyn).</summary>
        private const string VisualBasicPrefix = "VB$AnonymousType_";

        /// <summary>
        /// Whether <paramref name="type"/>, named <paramref name="name"/> (its metadata name, arity suffix included), is
        /// an anonymous type; <paramref name="hasAttribute"/> tells whether it carries an attribute, by full name.
        /// </summary>
        public static bool Is<TType>(TType type, string name, Func<TType, string, bool> hasAttribute) =>
            HasAnonymousName(name) && hasAttribute(type, CompilerGeneratedAttribute);

        /// <summary>
        /// Whether <paramref name="name"/> is an anonymous type's name, for where only the name is at hand (the type a
        /// <c>newobj</c> creates, before resolving it); <see cref="Is"/> where the type itself is.
        /// </summary>
        public static bool HasAnonymousName(string name) =>
            name.StartsWith(CSharpAndFSharpPrefix, StringComparison.Ordinal) || name.StartsWith(VisualBasicPrefix, StringComparison.Ordinal);

        /// <summary>The names the field holding property <paramref name="property"/>'s value has, one per compiler.</summary>
        public static string[] BackingFieldNames(string property) =>
            new[] { "<" + property + ">i__Field", "$" + property, property + "@" };
    }
}
