using Mono.Cecil;

namespace Mirascope.Ops.Fody.Targets
{
    /// <summary>
    /// Looks attributes up by full name. Finding targets asks several times for every method of the assembly, so this
    /// walks Cecil's collection by index instead of through LINQ (a boxed enumerator, and a closure for the name, per
    /// question).
    /// </summary>
    internal static class Attributes
    {
        public static CustomAttribute? Find(ICustomAttributeProvider provider, string fullName)
        {
            var attributes = provider.CustomAttributes;
            for (var i = 0; i < attributes.Count; i++)
            {
                if (attributes[i].AttributeType.FullName == fullName)
                {
                    return attributes[i];
                }
            }

            return null;
        }

        public static bool Has(ICustomAttributeProvider provider, string fullName) => Find(provider, fullName) is not null;
    }
}
