using Loops.Contracts.V1;

namespace Loops.Service.Observability.Timeline;

/// <summary>The uplift of treatment over control as <c>PolicyReportBuilder</c> reports it: a difference of means with a 95% Welch (normal) interval.</summary>
internal static class UpliftMath
{
    private const double Z95 = 1.959963984540054;

    public static Uplift Of(double treatedMean, double treatedVariance, long treated, double controlMean, double controlVariance, long controls)
    {
        if (treated == 0 || controls == 0)
        {
            return new Uplift();
        }

        var estimate = treatedMean - controlMean;
        var error = Math.Sqrt((treatedVariance / treated) + (controlVariance / controls));
        return new Uplift { Estimate = estimate, Lower = estimate - (Z95 * error), Upper = estimate + (Z95 * error) };
    }

    public static Uplift Reward(GroupReport treatment, GroupReport control) =>
        Of(treatment.RewardMean, treatment.RewardVariance, treatment.Decisions, control.RewardMean, control.RewardVariance, control.Decisions);

    public static Uplift NetValue(GroupReport treatment, GroupReport control) =>
        Of(treatment.NetValueMean, treatment.NetValueVariance, treatment.Decisions, control.NetValueMean, control.NetValueVariance, control.Decisions);
}
