using System.Linq.Expressions;
using System.Reflection;

namespace Visibility.Wire.Tests.Decoding;

/// <summary>Field-by-field equality of <see cref="PacketMeta"/>, compiled once over every public field, so that the
/// truncation sweep compares millions of results without the reflection behind <c>ValueType.Equals</c> and without
/// silently skipping a field added later.</summary>
internal static class PacketMetaEquality
{
    private static readonly Func<PacketMeta, PacketMeta, bool> s_equals = Compile();

    public static bool Same(in PacketMeta a, in PacketMeta b) => s_equals(a, b);

    private static Func<PacketMeta, PacketMeta, bool> Compile()
    {
        ParameterExpression a = Expression.Parameter(typeof(PacketMeta), "a");
        ParameterExpression b = Expression.Parameter(typeof(PacketMeta), "b");
        Expression body = Expression.Constant(true);
        foreach (FieldInfo field in typeof(PacketMeta).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            body = Expression.AndAlso(body, Expression.Equal(Expression.Field(a, field), Expression.Field(b, field)));
        }
        return Expression.Lambda<Func<PacketMeta, PacketMeta, bool>>(body, a, b).Compile();
    }
}
