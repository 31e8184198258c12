// parse_duration, parse_integer, parse_number and OptionValues: every type, good and bad values.
#include "sim/options.h"

#include <gtest/gtest.h>

namespace txsim {
namespace {

Micros duration_of(std::string_view text) {
  Micros out = -12345;
  const std::string err = parse_duration(text, out);
  EXPECT_EQ(err, "") << text;
  return out;
}

std::string duration_error(std::string_view text) {
  Micros out = -12345;
  const std::string err = parse_duration(text, out);
  EXPECT_EQ(out, -12345) << "a failed parse must not write its output: " << text;
  return err;
}

TEST(OptionDuration, ParsesEveryUnit) {
  EXPECT_EQ(duration_of("250us"), 250);
  EXPECT_EQ(duration_of("5ms"), ms(5));
  EXPECT_EQ(duration_of("3s"), sec(3));
  EXPECT_EQ(duration_of("2m"), sec(120));
  EXPECT_EQ(duration_of("0ms"), 0);
  EXPECT_EQ(duration_of("007ms"), ms(7));
}

TEST(OptionDuration, ParsesExactDecimals) {
  EXPECT_EQ(duration_of("1.5ms"), 1500);
  EXPECT_EQ(duration_of("0.25s"), 250'000);
  EXPECT_EQ(duration_of("1.000ms"), 1000);
  EXPECT_EQ(duration_of("0.001ms"), 1);
  EXPECT_EQ(duration_of("0.00000005m"), 3);
  EXPECT_EQ(duration_of("2.0us"), 2);
}

TEST(OptionDuration, ParsesNegatives) {
  EXPECT_EQ(duration_of("-2ms"), -2000);
  EXPECT_EQ(duration_of("-0.5s"), -500'000);
}

TEST(OptionDuration, AcceptsTheMaximumAndNoMore) {
  EXPECT_EQ(duration_of("1000000000s"), kDurationMax);
  EXPECT_NE(duration_error("1000000000.000001s").find("at most"), std::string::npos);
  EXPECT_NE(duration_error("99999999999999999999999m").find("at most"), std::string::npos);
}

TEST(OptionDuration, RejectsBareNumbersWithAHint) {
  const std::string err = duration_error("5");
  EXPECT_NE(err.find("bare number 5"), std::string::npos) << err;
  EXPECT_NE(err.find("5ms"), std::string::npos) << err;
  EXPECT_NE(duration_error("0").find("bare number"), std::string::npos);
  EXPECT_NE(duration_error("1.5").find("bare number"), std::string::npos);
}

TEST(OptionDuration, RejectsUnknownUnits) {
  for (const char* text : {"5sec", "5 ms", "5MS", "5h", "5msec", "5ns"}) {
    const std::string err = duration_error(text);
    EXPECT_NE(err.find("unit us, ms, s or m"), std::string::npos) << text << ": " << err;
  }
}

TEST(OptionDuration, RejectsMalformedNumbers) {
  for (const char* text : {"", "ms", "-ms", "5.ms", ".5ms", "1e3ms", "+5ms", "--5ms", "1.2.3ms"}) {
    EXPECT_NE(duration_error(text), "") << text;
  }
}

TEST(OptionDuration, RejectsFractionsOfAMicrosecond) {
  EXPECT_NE(duration_error("0.5us").find("whole number of microseconds"), std::string::npos);
  EXPECT_NE(duration_error("1.0005ms").find("whole number of microseconds"), std::string::npos);
  EXPECT_NE(duration_error("0.0000001s").find("whole number of microseconds"), std::string::npos);
}

TEST(OptionNumbers, ParseInteger) {
  std::int64_t v = 0;
  EXPECT_EQ(parse_integer("42", v), "");
  EXPECT_EQ(v, 42);
  EXPECT_EQ(parse_integer("-7", v), "");
  EXPECT_EQ(v, -7);
  EXPECT_EQ(parse_integer("9223372036854775807", v), "");
  EXPECT_NE(parse_integer("9223372036854775808", v).find("64 bits"), std::string::npos);
  for (const char* bad : {"", "1.5", "1e3", "0x10", "+3", "three", "3 "}) {
    EXPECT_NE(parse_integer(bad, v), "") << bad;
  }
}

TEST(OptionNumbers, ParseNumber) {
  double v = 0;
  EXPECT_EQ(parse_number("0.25", v), "");
  EXPECT_DOUBLE_EQ(v, 0.25);
  EXPECT_EQ(parse_number("3", v), "");
  EXPECT_DOUBLE_EQ(v, 3);
  EXPECT_EQ(parse_number("1e-3", v), "");
  EXPECT_DOUBLE_EQ(v, 0.001);
  for (const char* bad : {"", "nan", "inf", "-inf", "1/2", "half", "0.5.1"}) {
    EXPECT_NE(parse_number(bad, v), "") << bad;
  }
}

const OptionSchema& schema() {
  static const OptionSchema s = {
      {"timeout", OptionType::duration, "50ms", "How long to wait."},
      {"cooperative", OptionType::boolean, "false", "Ask peers."},
      {"retries", OptionType::integer, "3", "How many times."},
      {"failure_rate", OptionType::probability, "0.1", "How often."},
      {"mode", OptionType::choice, "fast", "Which mode.", {"fast", "safe"}},
  };
  return s;
}

const OptionSpec& spec(std::string_view key) {
  for (const OptionSpec& s : schema()) {
    if (s.key == key) return s;
  }
  ADD_FAILURE() << "no spec " << key;
  return schema()[0];
}

TEST(OptionValues, FillDefaultsGivesEveryKeyItsTypedDefault) {
  OptionValues v;
  v.fill_defaults(schema());
  for (const OptionSpec& s : schema()) EXPECT_TRUE(v.has(s.key)) << s.key;
  EXPECT_EQ(v.get_duration("timeout"), ms(50));
  EXPECT_FALSE(v.get_bool("cooperative"));
  EXPECT_EQ(v.get_int("retries"), 3);
  EXPECT_DOUBLE_EQ(v.get_probability("failure_rate"), 0.1);
  EXPECT_EQ(v.get_choice("mode"), "fast");
  EXPECT_FALSE(v.has("nope"));
}

TEST(OptionValues, SetValuesSurviveFillDefaults) {
  OptionValues v;
  EXPECT_EQ(v.set(spec("timeout"), "1.5s"), "");
  EXPECT_EQ(v.set(spec("cooperative"), "true"), "");
  EXPECT_EQ(v.set(spec("retries"), "-2"), "");
  EXPECT_EQ(v.set(spec("failure_rate"), "1"), "");
  EXPECT_EQ(v.set(spec("mode"), "safe"), "");
  v.fill_defaults(schema());
  EXPECT_EQ(v.get_duration("timeout"), 1'500'000);
  EXPECT_TRUE(v.get_bool("cooperative"));
  EXPECT_EQ(v.get_int("retries"), -2);
  EXPECT_DOUBLE_EQ(v.get_probability("failure_rate"), 1.0);
  EXPECT_EQ(v.get_choice("mode"), "safe");
}

TEST(OptionValues, RejectsBadValuesOfEveryType) {
  struct Case {
    const char* key;
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"timeout", "50", "bare number 50"},
      {"timeout", "-5ms", "expected a non-negative duration, found '-5ms'"},
      {"timeout", "soon", "expected a duration such as 250us, 5ms, 1.5s or 2m, found 'soon'"},
      {"cooperative", "yes", "expected true or false, found 'yes'"},
      {"cooperative", "True", "expected true or false, found 'True'"},
      {"retries", "2.5", "expected an integer, found '2.5'"},
      {"retries", "many", "expected an integer, found 'many'"},
      {"failure_rate", "1.5", "expected a probability in [0, 1], found '1.5'"},
      {"failure_rate", "-0.1", "expected a probability in [0, 1], found '-0.1'"},
      {"failure_rate", "often", "expected a probability in [0, 1], found 'often'"},
      {"mode", "slow", "expected one of fast, safe, found 'slow'"},
  };
  for (const Case& c : cases) {
    OptionValues v;
    const std::string err = v.set(spec(c.key), c.text);
    EXPECT_NE(err.find(c.message), std::string::npos) << c.key << "=" << c.text << ": " << err;
    EXPECT_FALSE(v.has(c.key)) << "a rejected value must not be stored: " << c.key;
  }
}

TEST(OptionValues, ReadingAnUndeclaredKeyIsABug) {
  OptionValues v;
  v.fill_defaults(schema());
  EXPECT_DEATH((void)v.get_int("nope"), "not declared");
  EXPECT_DEATH((void)v.get_bool("retries"), "type other than");
}

}  // namespace
}  // namespace txsim
