# Partitioned by month on recorded_at; the primary key is (id, recorded_at).
class Measurement < ApplicationRecord
  belongs_to :sensor
end
