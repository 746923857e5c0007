# shape: EventShape
# message: schema:startDate
INSERT DATA { GRAPH graph:minutes-1 { session:opening schema:startDate "March 2021" } }
