using System.Collections.Generic;
using System.Linq;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Fody.Weavers;
using Mono.Cecil;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>
    /// The weaver recognises builders, promises and a machine's own constructor with <see cref="TypeIdentity.Same"/>
    /// instead of comparing <c>GetElementType().FullName</c> strings; it must answer exactly as the strings do.
    /// </summary>
    public class TypeIdentityTests
    {
        [Fact]
        public void Agrees_with_comparing_full_names_of_element_types()
        {
            using var module = ModuleDefinition.ReadModule(typeof(TraceAttribute).Assembly.Location);
            var types = new List<TypeReference>();
            types.AddRange(module.GetTypes());
            types.AddRange(module.GetTypeReferences());
            types.AddRange(module.GetTypes().SelectMany(t => t.Fields).Select(f => f.FieldType));
            types.AddRange(module.GetTypes().SelectMany(t => t.Methods).Select(m => m.ReturnType));
            Assert.Contains(types, t => t is GenericInstanceType);
            Assert.Contains(types, t => t.IsNested);

            var differing = 0;
            foreach (var a in types)
            {
                foreach (var b in types)
                {
                    var expected = a.GetElementType().FullName == b.GetElementType().FullName;
                    Assert.True(expected == TypeIdentity.Same(a, b), $"{a.FullName} vs {b.FullName}: expected {expected}");
                    differing += expected ? 0 : 1;
                }
            }

            Assert.True(differing > 0);
            Assert.False(TypeIdentity.Same(null, types[0]));
        }
    }
}
