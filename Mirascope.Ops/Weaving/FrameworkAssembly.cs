// The rule the weaver and the runtime must agree on, in one file compiled into both like WeavingNames.cs (see there for
// MIRASCOPE_OPS_WEAVER): the weaver's RecordedTypeRoots keeps no trimming roots for the framework's types, because the
// runtime's ValueShape records those by ToString or as a placeholder, never by their members. It is written on an
// assembly's name and key token: the weaver sees Cecil's names, the runtime System.Reflection's.
using System;
using System.Globalization;
using System.Linq;

#if MIRASCOPE_OPS_WEAVER
namespace Mirascope.Ops.Fody
#else
namespace Mirascope.Ops.Weaving
#endif
{
    /// <summary>Whether an assembly is the .NET base class library's.</summary>
    internal static class FrameworkAssembly
    {
        /// <summary>
        /// A <c>System.*</c> (or <c>System</c>, <c>mscorlib</c>, <c>netstandard</c>) assembly signed with one of the
        /// framework's keys: a user assembly named <c>System.Foo</c> is not the framework's.
        /// </summary>
        public static bool Is(string? name, byte[]? publicKeyToken)
        {
            if (name is null || !(name.StartsWith("System.", StringComparison.Ordinal) || name == "System" || name == "mscorlib" || name == "netstandard"))
            {
                return false;
            }

            if (publicKeyToken is null || publicKeyToken.Length != 8)
            {
                return false;
            }

            var hex = string.Concat(publicKeyToken.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
            return hex == "b03f5f7f11d50a3a" || hex == "7cec85d7bea7798e" || hex == "cc7b13ffcd2ddd51" || hex == "b77a5c561934e089";
        }
    }
}
