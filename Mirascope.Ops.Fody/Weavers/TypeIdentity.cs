using Mono.Cecil;

namespace Mirascope.Ops.Fody.Weavers
{
    /// <summary>
    /// Whether two references name the same type, ignoring generic arguments: what comparing the
    /// <c>GetElementType().FullName</c> strings says, without walking or building them (a generic instance's full
    /// name is rebuilt on every call).
    /// </summary>
    internal static class TypeIdentity
    {
        public static bool Same(TypeReference? a, TypeReference? b)
        {
            if (a is null || b is null)
            {
                return false;
            }

            a = a.GetElementType();
            b = b.GetElementType();
            if (a is GenericParameter || b is GenericParameter)
            {
                // A generic parameter's full name is its bare name, whatever declares it.
                return a.FullName == b.FullName;
            }

            while (true)
            {
                if (ReferenceEquals(a, b))
                {
                    return true;
                }

                if (a.Name != b.Name || (a.Namespace ?? string.Empty) != (b.Namespace ?? string.Empty))
                {
                    return false;
                }

                var outerA = a.DeclaringType;
                var outerB = b.DeclaringType;
                if (outerA is null || outerB is null)
                {
                    return outerA is null && outerB is null;
                }

                a = outerA;
                b = outerB;
            }
        }
    }
}
