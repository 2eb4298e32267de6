#if !NET5_0_OR_GREATER
namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// The module initializer attribute, which netstandard2.0 lacks. The compiler matches it by name and emits the
    /// module's initializer, which .NET Framework runs too.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    internal sealed class ModuleInitializerAttribute : Attribute
    {
    }
}
#endif
