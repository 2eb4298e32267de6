using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace Mirascope.Ops.Fody.Targets
{
    /// <summary>
    /// The options of the <c>&lt;Mirascope.Ops /&gt;</c> element of FodyWeavers.xml, validated by the table of
    /// <see cref="AssemblyOptions"/>: an unknown option or a bad value is a build error (MOPS009). An option not set
    /// here is "not said"; an <c>[assembly: Trace]</c> attribute wins where both say something.
    /// </summary>
    internal sealed class WeaverOptions
    {
        private readonly Dictionary<IAssemblyOption, object> _values = new Dictionary<IAssemblyOption, object>();

        public bool TraceAssembly => TryGet(AssemblyOptions.TraceAssembly, out var value) && value;

        public static WeaverOptions Read(XElement config)
        {
            var options = new WeaverOptions();
            foreach (var attribute in config.Attributes())
            {
                var name = attribute.Name.LocalName;
                var option = AssemblyOptions.Named(name)
                    ?? throw AssemblyOptions.Invalid($"<Mirascope.Ops> has no option '{name}'. Known options: {string.Join(", ", AssemblyOptions.All.Select(o => o.Name))}.");
                options._values[option] = option.ReadConfig(attribute.Value);
            }

            return options;
        }

        public bool TryGet<T>(AssemblyOption<T> option, out T value)
        {
            if (_values.TryGetValue(option, out var set))
            {
                value = (T)set;
                return true;
            }

            value = default!;
            return false;
        }
    }
}
