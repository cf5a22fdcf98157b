# Product analytics. Written in bulk by IngestEventsJob, read by the analytics
# service straight from the database; the app itself never queries it.
class Event < ApplicationRecord
  belongs_to :account
  belongs_to :user, optional: true
end
