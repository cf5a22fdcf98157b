# Writes golden.json (ActiveSupport's English defaults) and golden_custom.json (with
# custom_inflections.rb applied) for tests/inflector.rs.
#
#   ruby tests/inflector/generate_golden.rb
#
# Requires Ruby with ActiveSupport 6.1 (the English rules are the same up to 8.x).
require "json"
require "active_support"
require "active_support/inflector"

DIR = __dir__
FUNCTIONS = %w[pluralize singularize camelize underscore classify tableize foreign_key demodulize deconstantize].freeze

def read_words(name)
  File.readlines(File.join(DIR, name), chomp: true).reject { |l| l.empty? || l.start_with?("# ") }
end

def table(words)
  words.uniq.map do |word|
    row = { "word" => word }
    FUNCTIONS.each { |f| row[f] = ActiveSupport::Inflector.public_send(f, word) }
    row
  end
end

def write(name, words)
  data = {
    "generator" => "tests/inflector/generate_golden.rb",
    "activesupport" => ActiveSupport::VERSION::STRING,
    "ruby" => RUBY_VERSION,
    "words" => table(words),
  }
  File.write(File.join(DIR, name), JSON.pretty_generate(data) + "\n")
  warn "#{name}: #{data["words"].size} words"
end

words = read_words("words.txt")
write("golden.json", words)

load File.join(DIR, "custom_inflections.rb")
write("golden_custom.json", words + read_words("custom_words.txt"))
