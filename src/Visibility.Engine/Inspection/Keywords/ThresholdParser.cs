using System.Globalization;
using Visibility.Engine.Inspection.Parsing;
using Visibility.Engine.Inspection.Thresholds;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary>Reads the <c>name value, name value, ...</c> list shared by <c>threshold</c> and <c>detection_filter</c>.</summary>
internal static class ThresholdParser
{
    public static ThresholdSpec Parse(in KeywordArgument argument, bool withType)
    {
        ThresholdType? type = withType ? null : ThresholdType.DetectionFilter;
        ThresholdTrack? track = null;
        int? count = null;
        int? seconds = null;
        int offset = 0;
        foreach (string part in argument.Text.Split(','))
        {
            string item = part.Trim();
            int at = offset + Math.Max(part.IndexOf(item, StringComparison.Ordinal), 0);
            offset += part.Length + 1;
            string[] words = item.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 2)
            {
                throw argument.Error($"expected 'name value' ({(withType ? "type, " : string.Empty)}track, count, seconds), found '{item}'", at);
            }
            switch (words[0])
            {
                case "type" when withType && type is null:
                    type = words[1] switch
                    {
                        "limit" => ThresholdType.Limit,
                        "threshold" => ThresholdType.Threshold,
                        "both" => ThresholdType.Both,
                        _ => throw argument.Error($"expected type limit, threshold or both, found '{words[1]}'", at),
                    };
                    break;
                case "track" when track is null:
                    track = words[1] switch
                    {
                        "by_src" => ThresholdTrack.BySource,
                        "by_dst" => ThresholdTrack.ByDestination,
                        "by_rule" => ThresholdTrack.ByRule,
                        "by_both" => ThresholdTrack.ByBoth,
                        _ => throw argument.Error($"expected track by_src, by_dst, by_rule or by_both, found '{words[1]}'", at),
                    };
                    break;
                case "count" when count is null:
                    count = ParseCount(argument, words[1], at, withType ? 1 : 0);
                    break;
                case "seconds" when seconds is null:
                    seconds = ParseCount(argument, words[1], at, 1);
                    break;
                default:
                    throw argument.Error($"expected {(withType ? "type, " : string.Empty)}track, count or seconds once each, found '{words[0]}'", at);
            }
        }
        if (type is null || track is null || count is null || seconds is null)
        {
            throw argument.Error($"expected all of {(withType ? "type, " : string.Empty)}track, count and seconds");
        }
        return new ThresholdSpec(type.Value, track.Value, count.Value, seconds.Value);
    }

    private static int ParseCount(in KeywordArgument argument, string text, int at, int min)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min)
        {
            throw argument.Error($"expected an integer of at least {min}, found '{text}'", at);
        }
        return value;
    }
}
