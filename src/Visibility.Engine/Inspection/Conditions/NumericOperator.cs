namespace Visibility.Engine.Inspection.Conditions;

/// <summary>Comparison of a numeric option (<c>dsize</c>, <c>esp.spi</c>, <c>esp.icv_len</c>).</summary>
internal enum NumericOperator : byte
{
    Equal = 0,
    NotEqual = 1,
    Less = 2,
    LessOrEqual = 3,
    Greater = 4,
    GreaterOrEqual = 5,
    /// <summary>Strictly between two bounds (<c>a&lt;&gt;b</c> or <c>a-b</c>), as Suricata.</summary>
    Between = 6,
}
